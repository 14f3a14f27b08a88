package com.cleversync.deploy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration property the application reads, gathered the way Spring would find them: Spring Boot's
 * own configuration metadata (spring.*, management.*, logging.*, server.*), the keys of application.yml, the
 * {@code @ConfigurationProperties} classes and {@code @Value} placeholders under {@code com.cleversync}, and
 * the environment variables application.yml names directly in {@code ${...}} placeholders.
 */
final class ApplicationProperties {

    static final Path APPLICATION_YML = Path.of("src/main/resources/application.yml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}\\s]+)");

    /** Exact property names. */
    final Set<String> names = new TreeSet<>();
    /** Names under which any key is accepted (Map-typed properties such as logging.level). */
    final Set<String> prefixes = new TreeSet<>();
    /** Environment variables read directly through ${NAME} placeholders in application.yml. */
    final Set<String> placeholderVariables = new TreeSet<>();

    static ApplicationProperties load() {
        ApplicationProperties p = new ApplicationProperties();
        p.bootMetadata();
        p.applicationYml();
        p.configurationPropertiesClasses();
        p.valueAnnotations();
        return p;
    }

    /** Whether Spring would hand the value of this environment variable to a property the application reads. */
    boolean reads(String variable) {
        if (placeholderVariables.contains(variable)) {
            return true;
        }
        // Spring's own relaxed binding: the same mapper the Binder uses for the system environment.
        PropertySource<?> env = new SystemEnvironmentPropertySource(
                org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(variable, "x"));
        ConfigurationPropertySource source = ConfigurationPropertySource.from(env);
        for (String name : names) {
            if (ConfigurationPropertyName.isValid(name) && source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null) {
                return true;
            }
        }
        for (String prefix : prefixes) {
            if (ConfigurationPropertyName.isValid(prefix)
                    && source.containsDescendantOf(ConfigurationPropertyName.of(prefix)) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    private void bootMetadata() {
        JsonMapper json = JsonMapper.builder().build();
        try {
            Enumeration<URL> files = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = property.path("name").asString();
                        if (property.path("type").asString("").startsWith("java.util.Map")) {
                            prefixes.add(name);
                        } else {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void applicationYml() {
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("application", new FileSystemResource(APPLICATION_YML))) {
                EnumerablePropertySource<?> yml = (OriginTrackedMapPropertySource) source;
                for (String name : yml.getPropertyNames()) {
                    names.add(name.replaceAll("\\[\\d+]", ""));
                    Object value = yml.getProperty(name);
                    Object raw = value instanceof org.springframework.boot.origin.OriginTrackedValue v ? v.getValue() : value;
                    if (raw != null) {
                        Matcher m = PLACEHOLDER.matcher(raw.toString());
                        while (m.find()) {
                            placeholderVariables.add(m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Class<?>> classes(ClassPathScanningCandidateComponentProvider scanner) {
        List<Class<?>> classes = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("com.cleversync")) {
            classes.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), ApplicationProperties.class.getClassLoader()));
        }
        return classes;
    }

    private void configurationPropertiesClasses() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> found = classes(scanner);
        if (found.isEmpty()) {
            throw new IllegalStateException("no @ConfigurationProperties class found under com.cleversync");
        }
        for (Class<?> type : found) {
            ConfigurationProperties cp = type.getAnnotation(ConfigurationProperties.class);
            String prefix = cp.prefix().isEmpty() ? cp.value() : cp.prefix();
            collect(prefix, type, 0);
        }
    }

    /** Adds the names of a properties type: record components or JavaBean setters, nested types recursively. */
    private void collect(String prefix, Class<?> type, int depth) {
        if (depth > 6) {
            return;
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                property(prefix + "." + dashed(c.getName()), c.getType(), depth);
            }
        } else {
            for (Method m : type.getMethods()) {
                if (m.getName().startsWith("set") && m.getParameterCount() == 1 && m.getName().length() > 3) {
                    String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                    property(prefix + "." + dashed(name), m.getParameterTypes()[0], depth);
                }
            }
        }
    }

    private void property(String name, Class<?> type, int depth) {
        if (Map.class.isAssignableFrom(type)) {
            prefixes.add(name);
        } else if (type.getName().startsWith("com.cleversync.") && !type.isEnum()) {
            collect(name, type, depth + 1);
        } else if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            prefixes.add(name);
            names.add(name);
        } else {
            names.add(name);
        }
    }

    private void valueAnnotations() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isIndependent();
            }
        };
        scanner.addIncludeFilter((reader, factory) -> true);
        for (Class<?> type : classes(scanner)) {
            List<AnnotatedElement> elements = new ArrayList<>();
            try {
                elements.addAll(List.of(type.getDeclaredFields()));
                for (Executable e : type.getDeclaredConstructors()) {
                    elements.add(e);
                    elements.addAll(List.of(e.getParameters()));
                }
                for (Executable e : type.getDeclaredMethods()) {
                    elements.add(e);
                    elements.addAll(List.of(e.getParameters()));
                }
            } catch (LinkageError e) {
                continue;
            }
            for (AnnotatedElement element : elements) {
                Value value = element.getAnnotation(Value.class);
                if (value != null) {
                    Matcher m = PLACEHOLDER.matcher(value.value());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
    }

    static String dashed(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
