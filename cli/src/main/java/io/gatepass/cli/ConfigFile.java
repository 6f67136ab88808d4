package io.gatepass.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration-as-code file: APIs, apps with their grants and federated credentials, and trusted issuers —
 * everything but secrets and private keys — in YAML or JSON. Read with the line and column of every value, and
 * checked against its JSON Schema ({@code docs/config-schema.json}, the same file in the jar, from which the
 * field lists below are read) so that every error names the file, line and column. The checks are the schema's
 * keywords this schema uses (type, required, additionalProperties, enum) plus what a schema cannot say: unique keys
 * and references between the sections.
 * Fields a file leaves out are left as they are on the server; a field given as {@code null} is cleared.
 */
final class ConfigFile {
    static final int VERSION = 1;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR).build())
            .build();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Field types of the schema. */
    enum Type { STRING, INT, BOOL, OBJECT, STRINGS, SCOPES, ANY }

    /** One kind of object in the file: its fields, their types and allowed values, and which are required. */
    record Kind(String name, Map<String, Type> fields, Set<String> required, Map<String, Set<String>> allowed) {
    }

    /** The published schema (docs/config-schema.json): the kinds below are read from it, so the two cannot part. */
    static final JsonNode SCHEMA = schema();
    static final Kind API = kind("api", "api");
    static final Kind APP = kind("app", "app");
    static final Kind GRANT = kind("grant", "grant");
    static final Kind CREDENTIAL = kind("federated credential", "federated_credential");
    static final Kind ISSUER = kind("trusted issuer", "trusted_issuer");
    static final List<String> SECTIONS = List.of("apis", "apps", "trusted_issuers");

    private ConfigFile() {
    }

    private static JsonNode schema() {
        try (var in = ConfigFile.class.getResourceAsStream("config-schema.json")) {
            return JSON.readTree(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the configuration schema is missing from the jar", e);
        }
    }

    private static Kind kind(String name, String definition) {
        JsonNode def = SCHEMA.path("$defs").path(definition);
        Map<String, Type> fields = new java.util.LinkedHashMap<>();
        Map<String, Set<String>> allowed = new HashMap<>();
        def.path("properties").fields().forEachRemaining(entry -> {
            JsonNode property = entry.getValue();
            fields.put(entry.getKey(), type(property));
            if (property.has("enum")) {
                Set<String> values = new java.util.LinkedHashSet<>();
                property.get("enum").forEach(v -> { if (!v.isNull()) values.add(v.asText()); });
                allowed.put(entry.getKey(), values);
            }
        });
        Set<String> required = new HashSet<>();
        def.path("required").forEach(r -> required.add(r.asText()));
        return new Kind(name, fields, required, allowed);
    }

    private static Type type(JsonNode property) {
        String ref = property.path("$ref").asText("");
        if (ref.endsWith("/scopes")) return Type.SCOPES;
        if (ref.endsWith("/strings")) return Type.STRINGS;
        JsonNode type = property.get("type");
        String name = type == null ? "" : type.isArray() ? type.get(0).asText() : type.asText();
        return switch (name) {
            case "string" -> Type.STRING;
            case "integer" -> Type.INT;
            case "boolean" -> Type.BOOL;
            case "object" -> Type.OBJECT;
            default -> Type.ANY; // nested lists, checked where they are read
        };
    }

    /** A file that is not a valid configuration: every problem, each with its place. */
    private static CliException invalid(List<String> problems) {
        return new CliException(ExitCode.INVALID, String.join("\n", problems));
    }

    /** Reads and checks a file; YAML unless its name ends in {@code .json} (JSON is YAML too). */
    static ObjectNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    static ObjectNode parse(String name, String text) {
        Map<String, JsonLocation> places = new HashMap<>();
        JsonNode root;
        try (JsonParser parser = (name.endsWith(".json") ? JSON.getFactory() : YAML.getFactory()).createParser(text)) {
            JsonToken first = parser.nextToken();
            root = first == null ? NODES.objectNode() : value(parser, "", places);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw invalid(List.of(place(name, at) + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read " + name + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        new Checker(name, places, problems).root(root);
        if (!problems.isEmpty()) throw invalid(problems);
        return (ObjectNode) root;
    }

    /** Builds the tree and records where each value starts, by its JSON Pointer. */
    private static JsonNode value(JsonParser parser, String pointer, Map<String, JsonLocation> places) throws IOException {
        places.put(pointer, parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    String at = pointer + "/" + field;
                    if (object.has(field)) {
                        throw new com.fasterxml.jackson.core.JsonParseException(parser, "\"" + field + "\" is given twice");
                    }
                    places.put(at + "#name", parser.currentTokenLocation());
                    parser.nextToken();
                    object.set(field, value(parser, at, places));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) array.add(value(parser, pointer + "/" + array.size(), places));
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(parser.getBooleanValue());
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected " + token);
        }
    }

    static String place(String file, JsonLocation at) {
        return at == null ? file : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
    }

    /** The schema's rules, with the place of each breach. */
    private record Checker(String file, Map<String, JsonLocation> places, List<String> problems) {
        void problem(String pointer, String message) {
            problems.add(place(file, places.get(pointer)) + ": " + message);
        }

        void root(JsonNode root) {
            if (!root.isObject()) {
                problem("", "the file must be a mapping of apis, apps and trusted_issuers");
                return;
            }
            root.fieldNames().forEachRemaining(field -> {
                if (!field.equals("gatepass") && !SECTIONS.contains(field)) {
                    problem("/" + field + "#name", "unknown field \"" + field + "\"; the file has gatepass, apis, apps and "
                            + "trusted_issuers");
                }
            });
            JsonNode version = root.get("gatepass");
            if (version != null && (!version.isIntegralNumber() || version.asInt() != VERSION)) {
                problem("/gatepass", "gatepass must be " + VERSION + ", the version of this file format");
            }
            Set<String> apis = new HashSet<>(List.of("urn:gatepass:admin"));
            Set<String> issuers = new HashSet<>();
            list(root, "apis", API, "identifier", apis);
            list(root, "trusted_issuers", ISSUER, "issuer", issuers);
            Set<String> apps = new HashSet<>();
            JsonNode appList = section(root, "apps");
            for (int i = 0; appList != null && i < appList.size(); i++) {
                String at = "/apps/" + i;
                JsonNode app = appList.get(i);
                if (!object(app, at, APP)) continue;
                String key = app.hasNonNull("client_id") ? "id " + app.get("client_id").asText()
                        : "name " + app.path("client_name").asText();
                if (!apps.add(key)) {
                    problem(at, "a second app with client_" + key.replace(' ', ' ') + ": an app without client_id is known "
                            + "by its client_name, which must then be unique");
                }
                if (app.hasNonNull("default_audience") && !apis.contains(app.get("default_audience").asText())) {
                    problem(at + "/default_audience", "default_audience " + app.get("default_audience").asText()
                            + " is not an API of this file");
                }
                Set<String> granted = new HashSet<>();
                JsonNode grants = items(app, at, "grants");
                for (int g = 0; grants != null && g < grants.size(); g++) {
                    String gat = at + "/grants/" + g;
                    if (!object(grants.get(g), gat, GRANT)) continue;
                    String api = grants.get(g).path("api").asText();
                    if (!apis.contains(api)) problem(gat + "/api", "unknown API " + api + " in a grant: it is not in apis");
                    if (!granted.add(api)) problem(gat + "/api", "a second grant on " + api + " for this app");
                }
                JsonNode credentials = items(app, at, "federated_credentials");
                for (int c = 0; credentials != null && c < credentials.size(); c++) {
                    String cat = at + "/federated_credentials/" + c;
                    if (!object(credentials.get(c), cat, CREDENTIAL)) continue;
                    String issuer = credentials.get(c).path("issuer").asText();
                    if (!issuers.contains(issuer)) {
                        problem(cat + "/issuer", "unknown issuer " + issuer + ": it is not in trusted_issuers");
                    }
                }
            }
        }

        private JsonNode section(JsonNode root, String name) {
            JsonNode list = root.get(name);
            if (list == null || list.isNull()) return null;
            if (!list.isArray()) {
                problem("/" + name, name + " must be a list");
                return null;
            }
            return list;
        }

        private JsonNode items(JsonNode parent, String at, String name) {
            JsonNode list = parent.get(name);
            if (list == null || list.isNull()) return null;
            if (!list.isArray()) {
                problem(at + "/" + name, name + " must be a list");
                return null;
            }
            return list;
        }

        private void list(JsonNode root, String name, Kind kind, String key, Set<String> keys) {
            JsonNode list = section(root, name);
            for (int i = 0; list != null && i < list.size(); i++) {
                String at = "/" + name + "/" + i;
                object(list.get(i), at, kind);
                JsonNode value = list.get(i).get(key);
                if (value != null && value.isTextual() && !keys.add(value.asText())) {
                    problem(at + "/" + key, "duplicate " + key + " " + value.asText());
                }
            }
        }

        /** Whether the value is an object of the kind with its required fields (problems recorded either way). */
        private boolean object(JsonNode value, String at, Kind kind) {
            if (!value.isObject()) {
                problem(at, "each " + kind.name() + " must be a mapping of its fields");
                return false;
            }
            int before = problems.size();
            value.fields().forEachRemaining(entry -> {
                Type type = kind.fields().get(entry.getKey());
                String fat = at + "/" + entry.getKey();
                if (type == null) {
                    problem(fat + "#name", "unknown field \"" + entry.getKey() + "\" of " + kind.name() + "; its fields are "
                            + String.join(", ", kind.fields().keySet()));
                } else if (!entry.getValue().isNull() && !matches(type, entry.getValue())) {
                    problem(fat, entry.getKey() + " must be " + describe(type));
                } else if (kind.allowed().containsKey(entry.getKey()) && !entry.getValue().isNull()
                        && !kind.allowed().get(entry.getKey()).contains(entry.getValue().asText())) {
                    problem(fat, entry.getKey() + " must be one of " + String.join(", ", kind.allowed().get(entry.getKey())));
                }
            });
            for (String field : kind.required()) {
                if (!value.hasNonNull(field)) problem(at, kind.name() + " needs " + field);
            }
            return problems.size() == before;
        }

        private static boolean matches(Type type, JsonNode value) {
            return switch (type) {
                case STRING -> value.isTextual();
                case INT -> value.isIntegralNumber() && value.canConvertToInt();
                case BOOL -> value.isBoolean();
                case OBJECT -> value.isObject();
                case STRINGS -> value.isArray() && allMatch(value, JsonNode::isTextual);
                case SCOPES -> value.isArray() && allMatch(value, item -> item.isTextual()
                        || item.isObject() && item.path("value").isTextual());
                case ANY -> true;
            };
        }

        private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
            for (JsonNode item : array) if (!test.test(item)) return false;
            return true;
        }

        private static String describe(Type type) {
            return switch (type) {
                case STRING -> "a string";
                case INT -> "a whole number";
                case BOOL -> "true or false";
                case OBJECT -> "a mapping";
                case STRINGS -> "a list of strings";
                case SCOPES -> "a list of scopes (a string, or value and description)";
                case ANY -> "anything";
            };
        }
    }

    /** The file as YAML (or JSON), in the order it is built: the same configuration gives the same bytes. */
    static String write(ObjectNode config, boolean json) {
        try {
            return json ? JSON.writeValueAsString(config) + "\n" : YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
