package com.cleversync.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the manifests under {@code k8s/} the way the API server would: each document bound to the Kubernetes
 * model class of its apiVersion/kind with unknown fields rejected (fabric8's model keeps unknown fields in an
 * "additional properties" map; this mapper turns that off so they fail like a strict apply), and renders a
 * kustomization the way {@code kubectl apply -k} does for the features used here: resources, namespace,
 * images, labels and strategic-merge patches.
 */
final class K8sManifests {

    static final Path ROOT = Path.of("k8s");
    static final Path BASE = ROOT.resolve("base");
    static final Path OVERLAY = ROOT.resolve("overlays/example");
    static final Path SECRET_TEMPLATE = ROOT.resolve("templates/secret.template.yaml");
    static final String CONTAINER = "clever-sync";

    /** Strict: unknown properties fail, and no string-to-number (or similar) coercion of scalars. */
    static final ObjectMapper STRICT = YAMLMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final KubernetesSerialization REGISTRY = new KubernetesSerialization();

    private K8sManifests() {
    }

    /** Every YAML file under k8s/. */
    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isKustomization(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml");
    }

    /** The YAML documents of a file as trees. */
    static List<ObjectNode> documents(Path file) {
        try {
            List<ObjectNode> docs = new ArrayList<>();
            var parser = STRICT.createParser(file.toFile());
            Iterator<JsonNode> it = STRICT.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalStateException(file + ": a document is not a mapping");
                }
                docs.add(object);
            }
            return docs;
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Binds one resource to its model class, strictly; fails for kinds the Kubernetes API does not serve. */
    static HasMetadata bind(ObjectNode tree) {
        String apiVersion = tree.path("apiVersion").asString("");
        String kind = tree.path("kind").asString("");
        Class<?> type = REGISTRY.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || type == GenericKubernetesResource.class || !HasMetadata.class.isAssignableFrom(type)) {
            throw new IllegalStateException("unknown Kubernetes kind " + apiVersion + "/" + kind);
        }
        return (HasMetadata) STRICT.treeToValue(tree, type);
    }

    // ---- kustomize ----

    /** The subset of kustomization.yaml used here; any other field fails (a typo would be silently ignored). */
    record Kustomization(String apiVersion, String kind, String namespace, List<String> resources,
                         List<Patch> patches, List<Image> images, List<Labels> labels) {
        Kustomization {
            resources = resources == null ? List.of() : resources;
            patches = patches == null ? List.of() : patches;
            images = images == null ? List.of() : images;
            labels = labels == null ? List.of() : labels;
        }
    }

    record Patch(String path) {
    }

    record Image(String name, String newName, String newTag) {
    }

    record Labels(Map<String, String> pairs, Boolean includeSelectors) {
    }

    static Kustomization kustomization(Path dir) {
        return STRICT.readValue(dir.resolve("kustomization.yaml").toFile(), Kustomization.class);
    }

    /** Renders a kustomization directory into resource trees, in the order kustomize emits them per file. */
    static List<ObjectNode> render(Path dir) {
        Kustomization k = kustomization(dir);
        List<ObjectNode> out = new ArrayList<>();
        for (String resource : k.resources()) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                out.addAll(render(path));
            } else {
                out.addAll(documents(path));
            }
        }
        for (Patch patch : k.patches()) {
            for (ObjectNode p : documents(dir.resolve(patch.path()))) {
                ObjectNode target = find(out, p.path("kind").asString(), p.path("metadata").path("name").asString())
                        .orElseThrow(() -> new IllegalStateException(dir + ": patch " + patch.path()
                                + " targets " + p.path("kind").asString() + "/" + p.path("metadata").path("name").asString()
                                + ", which is not among the resources"));
                merge(target, p);
            }
        }
        for (ObjectNode resource : out) {
            for (Labels labels : k.labels()) {
                ObjectNode meta = (ObjectNode) resource.path("metadata");
                ObjectNode l = meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
                labels.pairs().forEach(l::put);
            }
            if (k.namespace() != null && !resource.path("kind").asString().equals("Namespace")) {
                ((ObjectNode) resource.path("metadata")).put("namespace", k.namespace());
            }
            for (Image image : k.images()) {
                resource.findParents("image").forEach(parent -> {
                    if (parent instanceof ObjectNode c && c.has("name") && imageName(c.get("image").asString()).equals(image.name())) {
                        String name = image.newName() != null ? image.newName() : image.name();
                        String tag = image.newTag() != null ? image.newTag() : imageTag(c.get("image").asString());
                        c.put("image", tag == null ? name : name + ":" + tag);
                    }
                });
            }
        }
        return out;
    }

    private static String imageName(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static String imageTag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : null;
    }

    static Optional<ObjectNode> find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream()
                .filter(r -> r.path("kind").asString().equals(kind) && r.path("metadata").path("name").asString().equals(name))
                .findFirst();
    }

    /**
     * Strategic merge, minimally: mappings merge key by key; lists whose items all have a {@code name} merge
     * item by name (containers, env, volumes, ports); other lists are replaced, as for fields without a merge key.
     */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            JsonNode current = target.get(e.getKey());
            JsonNode value = e.getValue();
            if (current instanceof ObjectNode c && value instanceof ObjectNode v) {
                merge(c, v);
            } else if (current instanceof ArrayNode c && value instanceof ArrayNode v && named(c) && named(v)) {
                Map<String, ObjectNode> byName = new LinkedHashMap<>();
                c.forEach(item -> byName.put(item.get("name").asString(), (ObjectNode) item));
                v.forEach(item -> {
                    ObjectNode existing = byName.get(item.get("name").asString());
                    if (existing != null) {
                        merge(existing, (ObjectNode) item);
                    } else {
                        c.add(item.deepCopy());
                    }
                });
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    private static boolean named(ArrayNode list) {
        if (list.isEmpty()) {
            return false;
        }
        for (JsonNode item : list) {
            if (!(item instanceof ObjectNode) || !item.has("name")) {
                return false;
            }
        }
        return true;
    }

    // ---- typed views of a rendering ----

    static List<HasMetadata> bindAll(List<ObjectNode> trees) {
        return trees.stream().map(K8sManifests::bind).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
        return resources.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** Every pod spec the manifests run: Deployments' and CronJobs' templates. */
    static Map<String, PodSpec> podSpecs(List<HasMetadata> resources) {
        Map<String, PodSpec> specs = new LinkedHashMap<>();
        for (HasMetadata r : resources) {
            if (r instanceof Deployment d) {
                specs.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec());
            } else if (r instanceof CronJob c) {
                specs.put("CronJob/" + c.getMetadata().getName(),
                        c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
            }
        }
        return specs;
    }

    static Container container(PodSpec spec) {
        return spec.getContainers().stream().filter(c -> c.getName().equals(CONTAINER)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + CONTAINER));
    }

    static Container container(CronJob cronJob) {
        return container(cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
    }

    static Container container(Deployment deployment) {
        return container(deployment.getSpec().getTemplate().getSpec());
    }
}
