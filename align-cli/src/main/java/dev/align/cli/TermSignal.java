package dev.align.cli;

import dev.align.train.StopRequest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns SIGTERM (what batch schedulers and preemptible clouds send before they kill a job) into a
 * {@link StopRequest}: while a training run is in its steps ({@link StopRequest#isWatched}), the
 * first one lets it finish the step in progress and write a checkpoint; otherwise (before the first
 * step, or in a stage of an experiment that is not training) it exits at once with 143 (128 + 15),
 * as an unhandled SIGTERM would, since every file is written atomically and the same command
 * resumes. A second SIGTERM always exits at once with 143.
 *
 * <p>The JVM has no public API for signals; {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, exported on every JDK since 9) is the one every server framework uses.
 * It is reached by reflection so the build has no warning about internal API, and a JVM without
 * it keeps the default behaviour (exit on SIGTERM, no checkpoint) with a note on stderr.
 */
final class TermSignal {

    private TermSignal() {}

    /**
     * Installs the handler.
     *
     * @param stop the request the first SIGTERM makes
     * @return whether the handler is installed
     */
    static boolean install(StopRequest stop) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler onSignal = (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                    if (stop.isRequested()) {
                        System.err.println("align: second SIGTERM: exiting without a checkpoint");
                        Runtime.getRuntime().halt(143);
                    }
                    if (!stop.isWatched()) {
                        System.err.println("align: SIGTERM: no training step in progress: exiting "
                                + "(files are written whole; the same command continues)");
                        stop.request("SIGTERM");
                        System.exit(143);                     // as the JVM's own handler does
                    }
                    System.err.println("align: SIGTERM: finishing the current step, then writing "
                            + "a checkpoint (send it again to exit at once)");
                    stop.request("SIGTERM");
                    return null;
                }
                return objectMethod(proxy, method, args);
            };
            Object handler = Proxy.newProxyInstance(TermSignal.class.getClassLoader(),
                    new Class<?>[] {handlerType}, onSignal);
            Object term = signalType.getConstructor(String.class).newInstance("TERM");
            signalType.getMethod("handle", signalType, handlerType).invoke(null, term, handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("align: cannot handle SIGTERM on this JVM (" + e + "); a SIGTERM "
                    + "will end the run without a checkpoint");
            return false;
        }
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "TermSignal handler";
        };
    }
}
