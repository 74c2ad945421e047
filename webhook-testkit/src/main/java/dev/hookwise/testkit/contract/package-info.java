/**
 * SPI contract tests: abstract JUnit 5 classes that an implementation's test extends to prove it
 * behaves as the core expects, including under concurrency and lease expiry.
 */
@NullMarked
package dev.hookwise.testkit.contract;

import org.jspecify.annotations.NullMarked;
