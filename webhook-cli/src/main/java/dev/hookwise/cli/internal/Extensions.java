package dev.hookwise.cli.internal;

import dev.hookwise.cli.CliException;
import dev.hookwise.cli.ExitCode;
import dev.hookwise.cli.spi.HookwiseCliExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the application's {@link HookwiseCliExtension}s with {@link ServiceLoader}. */
public final class Extensions {
    private Extensions() {}

    /** Every extension on the class path; empty when there is none. */
    public static List<HookwiseCliExtension> load(ClassLoader loader) {
        List<HookwiseCliExtension> found = new ArrayList<>();
        try {
            ServiceLoader.load(HookwiseCliExtension.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new CliException(ExitCode.NO_EXTENSION, "an application extension listed in META-INF/services/"
                    + HookwiseCliExtension.class.getName() + " cannot be loaded: " + e.getMessage()
                    + "\n  it needs a public class with a public no-argument constructor, and its dependencies on the"
                    + " class path");
        }
        return found;
    }

    /** The error for a command that needs {@code what} and found no extension providing it. */
    public static CliException missing(String command, String what) {
        return new CliException(ExitCode.NO_EXTENSION, command + " needs the application's " + what
                + ", and no extension on the class path provides any.\n"
                + "  Implement " + HookwiseCliExtension.class.getName() + " in the application, list the class in\n"
                + "  META-INF/services/" + HookwiseCliExtension.class.getName() + ", and put the application's jar on"
                + " the class path:\n"
                + "    HOOKWISE_CLASSPATH=app.jar hookwise " + command + " …\n"
                + "    java -cp hookwise.jar:app.jar dev.hookwise.cli.Main " + command + " …");
    }
}
