package dev.vestibule.samples;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.TypeDefinition;
import graphql.language.UnionTypeDefinition;
import graphql.parser.Parser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * schemas/NAME.graphql is what each subgraph publishes: its _service { sdl } must define the same types, fields,
 * arguments, defaults, enum values, union members, interfaces and directive applications, and link the same
 * federation version and imports. (Order, descriptions and federation's own definitions are not compared.)
 */
class ServiceSdlTest {
    private static final Path SCHEMAS = Path.of("..", "schemas");
    private static SampleSubgraphs.Running samples;

    @BeforeAll
    static void start() {
        samples = SampleSubgraphs.startAll(0, dev.vestibule.samples.server.FaultSettings.NONE);
    }

    @AfterAll
    static void stop() {
        samples.close();
    }

    static List<String> subgraphs() {
        return SampleSubgraphs.names();
    }

    @ParameterizedTest
    @MethodSource("subgraphs")
    void serviceSdlDefinesTheSchemaInItsFile(String name) throws Exception {
        String published = GraphQLClient.query(samples.get(name).url(), "{ _service { sdl } }")
                .at("/data/_service/sdl").asText();
        Document file = Parser.parse(Files.readString(SCHEMAS.resolve(name + ".graphql")));
        Document served = Parser.parse(published);

        Map<String, String> fileTypes = canonicalTypes(file);
        Map<String, String> servedTypes = canonicalTypes(served);
        assertThat(servedTypes).as("types served by %s but not in schemas/%s.graphql", name, name)
                .containsOnlyKeys(fileTypes.keySet());
        fileTypes.forEach((type, canonical) -> assertThat(servedTypes.get(type))
                .as("%s.%s in _service { sdl } vs schemas/%s.graphql", name, type, name).isEqualTo(canonical));
        assertThat(link(served)).as("@link of %s", name).isEqualTo(link(file));
    }

    /** Type name -> a canonical one-line form, for every type that is not federation's own machinery. */
    private static Map<String, String> canonicalTypes(Document document) {
        Map<String, String> types = new TreeMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof TypeDefinition<?> type && !isFederationMachinery(type.getName())) {
                types.put(type.getName(), canonical(type));
            }
        }
        return types;
    }

    private static boolean isFederationMachinery(String name) {
        return name.startsWith("_") || name.startsWith("federation__") || name.startsWith("link__");
    }

    private static String canonical(TypeDefinition<?> type) {
        return switch (type) {
            case ObjectTypeDefinition o -> "type " + sorted(o.getImplements().stream().map(AstPrinter::printAst).toList())
                    + directives(o.getDirectives()) + fields(o.getFieldDefinitions());
            case InterfaceTypeDefinition i -> "interface " + sorted(i.getImplements().stream().map(AstPrinter::printAst).toList())
                    + directives(i.getDirectives()) + fields(i.getFieldDefinitions());
            case UnionTypeDefinition u -> "union " + sorted(u.getMemberTypes().stream().map(AstPrinter::printAst).toList())
                    + directives(u.getDirectives());
            case EnumTypeDefinition e -> "enum " + directives(e.getDirectives()) + sorted(e.getEnumValueDefinitions().stream()
                    .map(v -> v.getName() + directives(v.getDirectives())).toList());
            case InputObjectTypeDefinition in -> "input " + directives(in.getDirectives()) + sorted(in.getInputValueDefinitions()
                    .stream().map(ServiceSdlTest::inputValue).toList());
            case ScalarTypeDefinition s -> "scalar " + directives(s.getDirectives());
            default -> type.getClass().getSimpleName();
        };
    }

    private static String fields(List<FieldDefinition> fields) {
        return sorted(fields.stream().filter(f -> !isFederationMachinery(f.getName())).map(f -> f.getName() + sorted(f.getInputValueDefinitions().stream()
                .map(ServiceSdlTest::inputValue).toList()) + ": " + AstPrinter.printAst(f.getType())
                + directives(f.getDirectives())).toList());
    }

    private static String inputValue(InputValueDefinition v) {
        return v.getName() + ": " + AstPrinter.printAst(v.getType())
                + (v.getDefaultValue() == null ? "" : " = " + AstPrinter.printAst(v.getDefaultValue()))
                + directives(v.getDirectives());
    }

    /**
     * Directive applications with their arguments sorted by name, in a stable order. The printer spells out
     * {@code resolvable: true}, @key's default, which the file leaves implicit.
     */
    private static String directives(List<Directive> directives) {
        return sorted(directives.stream().map(d -> "@" + d.getName() + new TreeMap<>(d.getArguments().stream()
                .filter(a -> !(d.getName().equals("key") && a.getName().equals("resolvable")
                        && AstPrinter.printAst(a.getValue()).equals("true")))
                .collect(Collectors.toMap(a -> a.getName(), a -> AstPrinter.printAst(a.getValue()).replace(" ", "")))))
                .toList());
    }

    private static String sorted(List<String> items) {
        return new TreeSet<>(items).toString();
    }

    /** The federation @link of the schema (definition or extension): its url and imports. */
    private static String link(Document document) {
        return document.getDefinitions().stream()
                .filter(d -> d instanceof SchemaDefinition)
                .flatMap(d -> ((SchemaDefinition) d).getDirectives().stream())
                .filter(d -> d.getName().equals("link"))
                .map(d -> directives(List.of(d)))
                .collect(Collectors.joining());
    }
}
