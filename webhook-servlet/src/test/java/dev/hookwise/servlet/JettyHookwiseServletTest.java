package dev.hookwise.servlet;

import jakarta.servlet.ServletContainerInitializer;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/** The servlet in embedded Jetty 12 (ee11), registered as the module's README shows. */
class JettyHookwiseServletTest extends HookwiseServletTestBase {

    @Override
    RunningContainer start(@Nullable HookwiseServlet servlet, ServletContainerInitializer setup) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        if (servlet != null) {
            context.addServlet(new ServletHolder("hookwise", servlet), PATH);
        }
        context.addServletContainerInitializer(setup);
        server.setHandler(context);
        server.start();
        int port = connector.getLocalPort();
        return new RunningContainer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                server.stop();
            }
        };
    }
}
