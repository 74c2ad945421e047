/** Testing Stripe webhook handling with Hookwise: signed events, simulated deliveries, a fake Stripe API. */
@NullMarked
package dev.hookwise.testkit;

import org.jspecify.annotations.NullMarked;
