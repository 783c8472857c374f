package dev.vestibule.router.bff;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of one module, made once when it is mounted: a path per route (its parameters, body and
 * answers), and a JSON Schema per record type its routes take or answer, read from the records' components and their
 * generic types. Served at {@code {prefix}/openapi.json} for app teams to generate their clients from.
 */
final class OpenApi {
    private static final String PROBLEM = "#/components/responses/Problem";

    private OpenApi() {}

    static byte[] document(BffModule module) {
        Map<String, Object> schemas = new TreeMap<>();
        Map<String, Object> paths = new LinkedHashMap<>();
        boolean session = module.credentials() == BffModule.Credentials.SESSION;
        for (BffRoute<?, ?, ?> route : module.routes()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>());
            item.put(route.method().toLowerCase(Locale.ROOT), operation(module, route, schemas));
        }
        if (session) {
            paths.put(module.prefix() + "/login", Map.of("post", Map.of(
                    "operationId", "login", "summary", "Start a session: send the bearer token once; the answer sets the session and CSRF cookies",
                    "security", List.of(Map.of("bearer", List.of())),
                    "responses", Map.of("200", Map.of("description", "logged in", "content", json(object(Map.of(
                            "subject", Map.of("type", "string"), "csrfToken", Map.of("type", "string"),
                            "expiresInSeconds", Map.of("type", "integer")), List.of("subject", "csrfToken", "expiresInSeconds")))),
                            "default", Map.of("$ref", PROBLEM)))));
            paths.put(module.prefix() + "/logout", Map.of("post", Map.of(
                    "operationId", "logout", "summary", "End the session: the cookies are cleared",
                    "responses", Map.of("204", Map.of("description", "logged out"), "default", Map.of("$ref", PROBLEM)))));
        }
        schemas.put("Problem", object(Map.of("type", Map.of("type", "string"), "title", Map.of("type", "string"),
                "status", Map.of("type", "integer"), "detail", Map.of("type", "string"), "instance", Map.of("type", "string"),
                "requestId", Map.of("type", "string"), "gaps", Map.of("type", "array", "items", Map.of("$ref", "#/components/schemas/Gap"))),
                List.of("type", "title", "status")));
        schemas.put("Gap", object(Map.of("section", Map.of("type", "string"), "reason", Map.of("type", "string")), List.of("section", "reason")));
        Map<String, Object> components = new LinkedHashMap<>();
        components.put("schemas", schemas);
        components.put("responses", Map.of("Problem", Map.of("description", "an RFC 9457 problem",
                "content", Map.of(Problem.CONTENT_TYPE, Map.of("schema", Map.of("$ref", "#/components/schemas/Problem"))))));
        Map<String, Object> security = new LinkedHashMap<>();
        security.put("bearer", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT"));
        if (session) {
            security.put("session", Map.of("type", "apiKey", "in", "cookie", "name", Sessions.sessionCookie(module.client())));
        }
        components.put("securitySchemes", security);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put("info", Map.of("title", module.client() + " BFF", "version", module.version()));
        document.put("paths", paths);
        document.put("components", components);
        try {
            return BffBodies.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the OpenAPI document of BFF module '" + module.client() + "' did not serialize", e);
        }
    }

    private static Map<String, Object> operation(BffModule module, BffRoute<?, ?, ?> route, Map<String, Object> schemas) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", route.method().toLowerCase(Locale.ROOT) + route.operation().name());
        if (!route.summary().isEmpty()) operation.put("summary", route.summary());
        RoutePolicy policy = route.policy();
        operation.put("description", describe(module, route));
        List<Object> parameters = new ArrayList<>();
        for (String name : PathTemplate.parse(route.path()).parameters()) {
            parameters.add(Map.of("name", name, "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        for (BffRoute.QueryParameter query : route.queryParameters()) {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("name", query.name());
            parameter.put("in", "query");
            parameter.put("required", query.required());
            if (query.description() != null) parameter.put("description", query.description());
            parameter.put("schema", schema(query.type(), schemas));
            parameters.add(parameter);
        }
        if (!route.method().equals("GET") && module.credentials() == BffModule.Credentials.SESSION) {
            parameters.add(Map.of("name", Sessions.CSRF_HEADER, "in", "header", "required", false,
                    "description", "the csrfToken the login answered; required with the session cookie", "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) operation.put("parameters", parameters);
        if (route.requestType() != null) {
            operation.put("requestBody", Map.of("required", true, "content", json(schema(route.requestType(), schemas))));
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("description", "the answer" + (policy.failure() == RoutePolicy.Failure.FALLBACK
                ? "; with the Vestibule-Fallback header (last-good or default) when it is a fallback" : ""));
        Map<String, Object> body = schema(route.responseType(), schemas);
        if (policy.failure() == RoutePolicy.Failure.PARTIAL) {
            body = Map.of("allOf", List.of(body, object(Map.of("gaps", Map.of("type", "array",
                    "description", "present when sections are missing: each names the section and why",
                    "items", Map.of("$ref", "#/components/schemas/Gap"))), List.of())));
        }
        ok.put("content", json(body));
        Map<String, Object> headers = new LinkedHashMap<>();
        if (route.method().equals("GET")) headers.put("ETag", Map.of("schema", Map.of("type", "string")));
        if (policy.failure() == RoutePolicy.Failure.FALLBACK) {
            headers.put(BffService.FALLBACK_HEADER, Map.of("schema", Map.of("type", "string", "enum", List.of("last-good", "default"))));
        }
        if (!headers.isEmpty()) ok.put("headers", headers);
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", ok);
        if (route.method().equals("GET")) responses.put("304", Map.of("description", "not modified (If-None-Match matched the ETag)"));
        responses.put("default", Map.of("$ref", PROBLEM));
        operation.put("responses", responses);
        List<Object> security = new ArrayList<>();
        security.add(Map.of("bearer", List.of()));
        if (module.credentials() == BffModule.Credentials.SESSION) security.add(Map.of("session", List.of()));
        if (!policy.authenticated()) security.add(Map.of());
        operation.put("security", security);
        return operation;
    }

    private static String describe(BffModule module, BffRoute<?, ?, ?> route) {
        RoutePolicy policy = route.policy();
        StringBuilder text = new StringBuilder("Runs the operation ").append(route.operation().name()).append(". On failure: ")
                .append(switch (policy.failure()) {
                    case FAIL -> "a problem (502, 504 when the deadline passed)";
                    case PARTIAL -> "200 with what came and a gaps list";
                    case FALLBACK -> "the last good answer or a default, marked by the Vestibule-Fallback header";
                }).append('.');
        if (policy.cacheControl() != null) text.append(" Cache-Control: ").append(policy.cacheControl()).append('.');
        if (policy.rateLimit() != null) {
            text.append(" Rate limit: ").append(policy.rateLimit().limit()).append(" per ").append(policy.rateLimit().per()).append('.');
        }
        return text.toString();
    }

    private static Map<String, Object> json(Object schema) {
        return Map.of("application/json", Map.of("schema", schema));
    }

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", "object");
        object.put("properties", new TreeMap<>(properties));
        if (!required.isEmpty()) object.put("required", required);
        return object;
    }

    /** The JSON Schema of a Java type; records go to components (once each) and are referred to. */
    static Map<String, Object> schema(Type type, Map<String, Object> schemas) {
        if (type instanceof Class<?> c) {
            if (c == String.class || c == char.class || c == Character.class) return Map.of("type", "string");
            if (c == int.class || c == long.class || c == short.class || c == Integer.class || c == Long.class || c == Short.class
                    || c == BigInteger.class) return Map.of("type", "integer");
            if (c == double.class || c == float.class || c == Double.class || c == Float.class || c == BigDecimal.class) {
                return Map.of("type", "number");
            }
            if (c == boolean.class || c == Boolean.class) return Map.of("type", "boolean");
            if (c.isEnum()) return Map.of("type", "string", "enum", Arrays.stream(c.getEnumConstants()).map(String::valueOf).toList());
            if (c.isArray()) return Map.of("type", "array", "items", schema(c.getComponentType(), schemas));
            if (c.isRecord()) {
                String name = c.getSimpleName();
                if (!schemas.containsKey(name)) {
                    schemas.put(name, Map.of()); // taken before the components, so that a recursive record refers to itself
                    Map<String, Object> properties = new LinkedHashMap<>();
                    List<String> required = new ArrayList<>();
                    for (RecordComponent component : c.getRecordComponents()) {
                        properties.put(component.getName(), schema(component.getGenericType(), schemas));
                        // null components are left out of the JSON: only primitives are always there
                        if (component.getType().isPrimitive()) required.add(component.getName());
                    }
                    schemas.put(name, object(properties, required));
                }
                return Map.of("$ref", "#/components/schemas/" + name);
            }
            if (Collection.class.isAssignableFrom(c)) return Map.of("type", "array");
            if (Map.class.isAssignableFrom(c)) return Map.of("type", "object");
            return Map.of();
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) return Map.of("type", "array", "items", schema(arguments[0], schemas));
            if (Map.class.isAssignableFrom(raw)) return Map.of("type", "object", "additionalProperties", schema(arguments[1], schemas));
            return schema(raw, schemas);
        }
        if (type instanceof GenericArrayType array) return Map.of("type", "array", "items", schema(array.getGenericComponentType(), schemas));
        if (type instanceof WildcardType wildcard && wildcard.getUpperBounds().length == 1) return schema(wildcard.getUpperBounds()[0], schemas);
        return Map.of();
    }
}
