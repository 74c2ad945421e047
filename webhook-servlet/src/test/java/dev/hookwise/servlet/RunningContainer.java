package dev.hookwise.servlet;

/** A servlet container started for one test on 127.0.0.1 and a random port. */
interface RunningContainer {

    /** The port it listens on. */
    int port();

    /** Stops it. */
    void stop() throws Exception;
}
