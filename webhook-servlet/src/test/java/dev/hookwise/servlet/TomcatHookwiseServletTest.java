package dev.hookwise.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

/** The servlet in embedded Tomcat 11, registered as the module's README shows. */
class TomcatHookwiseServletTest extends HookwiseServletTestBase {

    @TempDir
    Path baseDir;

    @Override
    RunningContainer start(@Nullable HookwiseServlet servlet, ServletContainerInitializer setup) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setProperty("address", "127.0.0.1");
        connector.setPort(0);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        if (servlet != null) {
            Tomcat.addServlet(context, "hookwise", servlet);
            context.addServletMappingDecoded(PATH, "hookwise");
        }
        context.addServletContainerInitializer(setup, null);
        tomcat.start();
        int port = connector.getLocalPort();
        return new RunningContainer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
