package dev.hookwise.samples.springorders;

/** The scenarios on the default database: H2 in memory, as the application starts out of the box. */
class OrdersOnH2Test extends OrdersOverHttpScenarios {
}
