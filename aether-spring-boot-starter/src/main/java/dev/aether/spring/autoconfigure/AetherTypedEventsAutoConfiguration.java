package dev.aether.spring.autoconfigure;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aether.DataMapper;
import dev.aether.typed.EventTypes;
import dev.aether.upcast.EventUpcaster;
import dev.aether.upcast.UpcasterChain;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of typed events: the {@link DataMapper} (over the application's Jackson 2
 * {@code ObjectMapper} bean when there is exactly one, else configured from {@code aether.data.*}), the
 * {@link EventTypes} registry filled by {@link EventTypesCustomizer} beans, and the
 * {@link UpcasterChain} of every {@link EventUpcaster} bean, through which the starter's store and
 * {@code @AetherSubscriber} methods read. Boot 4's own JSON mapper is Jackson 3 and is not used.
 */
@AutoConfiguration
@EnableConfigurationProperties(AetherDataProperties.class)
public final class AetherTypedEventsAutoConfiguration {

    AetherTypedEventsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    DataMapper aetherDataMapper(ObjectProvider<ObjectMapper> objectMapper, AetherDataProperties properties) {
        ObjectMapper application = objectMapper.getIfUnique();
        if (application != null) {
            return DataMapper.of(application);
        }
        ObjectMapper configured = DataMapper.defaultObjectMapper().configure(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, properties.failOnUnknownProperties());
        if (properties.findModules()) {
            configured.findAndRegisterModules();
        }
        return DataMapper.of(configured);
    }

    @Bean
    @ConditionalOnMissingBean
    EventTypes aetherEventTypes(DataMapper dataMapper, ObjectProvider<EventTypesCustomizer> customizers) {
        EventTypes.Builder builder = EventTypes.builder().mapper(dataMapper);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    UpcasterChain aetherUpcasterChain(ObjectProvider<EventUpcaster> upcasters) {
        return UpcasterChain.of(upcasters.orderedStream().toList());
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static AetherUpcastingPostProcessor aetherUpcastingPostProcessor(ObjectProvider<UpcasterChain> chain) {
        return new AetherUpcastingPostProcessor(chain);
    }
}
