package dev.aether.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the starter's {@link dev.aether.DataMapper} converts records and POJOs to and from event data,
 * when the application has no Jackson 2 {@code ObjectMapper} bean of its own.
 *
 * @param failOnUnknownProperties Whether reading event data into a class fails on a field the class does
 *                                not have; off by default, so a field added to an event does not break
 *                                older readers
 * @param findModules             Whether Jackson 2 modules on the class path (such as
 *                                jackson-datatype-jsr310) are registered
 */
@ConfigurationProperties("aether.data")
public record AetherDataProperties(@DefaultValue("false") boolean failOnUnknownProperties,
                                   @DefaultValue("true") boolean findModules) {
}
