/**
 * JUnit Jupiter support: {@link dev.hookwise.testkit.junit.HookwiseExtension} injects a clock, an
 * event factory, a signer and a fake Stripe API into test methods. Needs {@code junit-jupiter-api}
 * on the test classpath (the testkit declares it optional).
 */
@NullMarked
package dev.hookwise.testkit.junit;

import org.jspecify.annotations.NullMarked;
