package dev.keyline.ports.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    /** A new event that {@code Both} forgot would reach neither telemetry: its default is a no-op. */
    @Test
    void both_passesEveryEventToBothTelemetries_inOrder() throws Exception {
        List<String> heard = new ArrayList<>();
        Telemetry both = Telemetry.both(recorder("first", heard), recorder("second", heard));
        List<Method> events = Arrays.stream(Telemetry.class.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .toList();
        assertTrue(events.size() >= 12, "events found: " + events);

        for (Method event : events) {
            heard.clear();
            event.invoke(both, arguments(event));
            assertEquals(List.of("first " + event.getName(), "second " + event.getName()), heard, event.toString());
        }
    }

    @Test
    void off_recordsNothing_andAcceptsEveryEvent() throws Exception {
        for (Method event : Telemetry.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(event.getModifiers())) {
                event.invoke(Telemetry.off(), arguments(event));
            }
        }
    }

    private static Telemetry recorder(String name, List<String> heard) {
        return (Telemetry) Proxy.newProxyInstance(
                Telemetry.class.getClassLoader(), new Class<?>[] {Telemetry.class}, (proxy, method, args) -> {
                    heard.add(name + " " + method.getName());
                    return null;
                });
    }

    private static Object[] arguments(Method event) {
        return Arrays.stream(event.getParameterTypes())
                .map(type -> type == int.class
                        ? (Object) 0
                        : type == long.class ? (Object) 0L : type == boolean.class ? false : null)
                .toArray();
    }
}
