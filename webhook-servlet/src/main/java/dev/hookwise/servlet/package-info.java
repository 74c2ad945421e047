/**
 * The Hookwise webhook endpoint as a Jakarta Servlet ({@link dev.hookwise.servlet.HookwiseServlet}),
 * for any servlet container without Spring.
 */
@NullMarked
package dev.hookwise.servlet;

import org.jspecify.annotations.NullMarked;
