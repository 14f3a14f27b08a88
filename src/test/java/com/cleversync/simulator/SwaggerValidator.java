package com.cleversync.simulator;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks JSON against the Swagger 2.0 subset Clever's specs use: type, properties, items, enum (which includes
 * ""), pattern, format date/datetime, $ref to definitions, allOf, x-nullable, and the {@code type} discriminator
 * of events. Properties the spec does not declare are reported separately, so that the simulator adds none
 * unknowingly.
 */
final class SwaggerValidator {

    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final Map<String, Object> definitions;
    /** "Definition.property" whose datetime format the wire is known to break with a plain date. */
    private final Set<String> dateOnlyAllowed;

    record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> undeclared = new ArrayList<>();

    @SuppressWarnings("unchecked")
    SwaggerValidator(Path yaml, Set<String> dateOnlyAllowed) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(10 * 1024 * 1024);
        try (InputStream in = Files.newInputStream(yaml)) {
            Map<String, Object> root = new Yaml(options).load(in);
            this.definitions = (Map<String, Object>) root.get("definitions");
        }
        this.dateOnlyAllowed = dateOnlyAllowed;
    }

    boolean has(String definition) {
        return definitions.containsKey(definition);
    }

    List<Problem> errors() {
        return errors;
    }

    List<Problem> undeclared() {
        return undeclared;
    }

    void validate(JsonNode node, String definition, String path) {
        check(node, Map.of("$ref", "#/definitions/" + definition), path, definition, null);
    }

    @SuppressWarnings("unchecked")
    private void check(JsonNode node, Map<String, Object> schema, String path, String definition, String property) {
        Object ref = schema.get("$ref");
        boolean nullable = Boolean.TRUE.equals(schema.get("x-nullable"));
        if (ref != null) {
            String name = ((String) ref).substring("#/definitions/".length());
            Map<String, Object> target = (Map<String, Object>) definitions.get(name);
            if (target == null) {
                errors.add(new Problem(path, "unknown definition " + name));
                return;
            }
            if (node.isNull()) {
                if (!nullable && !Boolean.TRUE.equals(target.get("x-nullable"))) {
                    errors.add(new Problem(path, "null but " + name + " is not nullable"));
                }
                return;
            }
            // Events are polymorphic on their type: validate against the subtype named by it.
            if (target.get("discriminator") != null && node.isObject() && node.has("type")
                    && definitions.containsKey(node.get("type").asString())) {
                name = node.get("type").asString();
                target = (Map<String, Object>) definitions.get(name);
            }
            check(node, target, path, name, null);
            return;
        }
        if (node.isNull()) {
            if (!nullable) {
                errors.add(new Problem(path, "null but not x-nullable"));
            }
            return;
        }
        if (schema.get("allOf") instanceof List<?> parts) {
            // Properties declared by any part count as declared.
            Map<String, Object> merged = new java.util.LinkedHashMap<>();
            for (Object part : parts) {
                Map<String, Object> p = (Map<String, Object>) part;
                if (p.get("$ref") != null) {
                    Map<String, Object> base = (Map<String, Object>) definitions
                            .get(((String) p.get("$ref")).substring("#/definitions/".length()));
                    merged.putAll((Map<String, Object>) base.getOrDefault("properties", Map.of()));
                } else {
                    merged.putAll((Map<String, Object>) p.getOrDefault("properties", Map.of()));
                }
            }
            checkObject(node, merged, path, definition);
            return;
        }
        String type = (String) schema.get("type");
        if (type == null && schema.get("properties") != null) {
            type = "object";
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> {
                if (!node.isObject()) {
                    errors.add(new Problem(path, "expected an object, got " + node.getNodeType()));
                    return;
                }
                Object props = schema.get("properties");
                if (props != null) {
                    checkObject(node, (Map<String, Object>) props, path, definition);
                }
            }
            case "array" -> {
                if (!node.isArray()) {
                    errors.add(new Problem(path, "expected an array, got " + node.getNodeType()));
                    return;
                }
                Map<String, Object> items = (Map<String, Object>) schema.get("items");
                if (items != null) {
                    for (int i = 0; i < node.size(); i++) {
                        check(node.get(i), items, path + "[" + i + "]", definition, property);
                    }
                }
            }
            case "string" -> {
                if (!node.isString()) {
                    errors.add(new Problem(path, "expected a string, got " + node.getNodeType()));
                    return;
                }
                String value = node.asString();
                if (schema.get("enum") instanceof List<?> values && !values.contains(value)) {
                    errors.add(new Problem(path, "'" + value + "' is not one of " + values));
                }
                if (schema.get("pattern") instanceof String regex && !Pattern.compile(regex).matcher(value).find()) {
                    errors.add(new Problem(path, "'" + value + "' does not match " + regex));
                }
                Object format = schema.get("format");
                if ("datetime".equals(format) || "date-time".equals(format)) {
                    boolean dateOnly = dateOnlyAllowed.contains(definition + "." + property)
                            && DATE.matcher(value).matches();
                    if (!dateOnly && !DATETIME.matcher(value).matches()) {
                        errors.add(new Problem(path, "'" + value + "' is not a datetime"));
                    }
                } else if ("date".equals(format) && !DATE.matcher(value).matches()) {
                    errors.add(new Problem(path, "'" + value + "' is not a date"));
                }
            }
            case "integer" -> {
                if (!node.isIntegralNumber()) {
                    errors.add(new Problem(path, "expected an integer, got " + node.getNodeType()));
                }
            }
            case "number" -> {
                if (!node.isNumber()) {
                    errors.add(new Problem(path, "expected a number, got " + node.getNodeType()));
                }
            }
            case "boolean" -> {
                if (!node.isBoolean()) {
                    errors.add(new Problem(path, "expected a boolean, got " + node.getNodeType()));
                }
            }
            default -> errors.add(new Problem(path, "unsupported schema type " + type));
        }
    }

    @SuppressWarnings("unchecked")
    private void checkObject(JsonNode node, Map<String, Object> properties, String path, String definition) {
        if (!node.isObject()) {
            errors.add(new Problem(path, "expected an object, got " + node.getNodeType()));
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            Map<String, Object> schema = (Map<String, Object>) properties.get(field.getKey());
            String at = path + "." + field.getKey();
            if (schema == null) {
                undeclared.add(new Problem(at, "not declared in " + definition));
            } else {
                check(field.getValue(), schema, at, definition, field.getKey());
            }
        }
    }
}
