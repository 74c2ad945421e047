/** The auto-configuration classes, registered in META-INF/spring/…AutoConfiguration.imports, and the failure analyzer. */
@NullMarked
package dev.hookwise.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
