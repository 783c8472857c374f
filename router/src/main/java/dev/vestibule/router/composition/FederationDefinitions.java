package dev.vestibule.router.composition;

import dev.vestibule.router.composition.MergedSchema.LinkedSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The specs a supergraph links and the definitions each brings, exactly as Apollo's composition writes them: link
 * v1.0 and join (v0.3 for subgraphs up to federation 2.6, v0.4 for 2.7, v0.5 from 2.8), plus tag, inaccessible and the
 * security and cost specs when some subgraph uses them.
 */
final class FederationDefinitions {
    static final Set<String> SPEC_DIRECTIVES = Set.of("tag", "authenticated", "requiresScopes", "policy", "cost", "listSize", "context");

    private FederationDefinitions() {}

    static List<LinkedSpec> specs(int joinMinor, boolean inaccessible, Set<String> used) {
        List<LinkedSpec> specs = new ArrayList<>();
        specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/link/v1.0\")", List.of(
                "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA",
                "scalar link__Import",
                """
                enum link__Purpose {
                  \"""
                  `SECURITY` features provide metadata necessary to securely resolve fields.
                  \"""
                  SECURITY

                  \"""
                  `EXECUTION` features provide metadata necessary for operation execution.
                  \"""
                  EXECUTION
                }""")));
        List<String> join = new ArrayList<>();
        if (joinMinor >= 4) {
            join.add("directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION");
            join.add("scalar join__DirectiveArguments");
        }
        join.add("directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE");
        join.add("directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean"
                + (joinMinor >= 4 ? ", overrideLabel: String" : "") + (joinMinor >= 5 ? ", contextArguments: [join__ContextArgument!]" : "")
                + ") repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION");
        join.add("directive @join__graph(name: String!, url: String!) on ENUM_VALUE");
        join.add("directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE");
        join.add("directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR");
        join.add("directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION");
        join.add("scalar join__FieldSet");
        if (joinMinor >= 5) {
            join.add("""
                    input join__ContextArgument {
                      name: String!
                      type: String!
                      context: String!
                      selection: join__FieldValue!
                    }""");
            join.add("scalar join__FieldValue");
        }
        specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/join/v0." + joinMinor + "\", for: EXECUTION)", join));
        if (used.contains("tag")) {
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/tag/v0.3\")", List.of(
                    "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA")));
        }
        if (inaccessible) {
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)", List.of(
                    "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION")));
        }
        if (used.contains("authenticated")) {
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)", List.of(
                    "directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM")));
        }
        if (used.contains("requiresScopes")) {
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for: SECURITY)", List.of(
                    "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
                    "scalar requiresScopes__Scope")));
        }
        if (used.contains("policy")) {
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/policy/v0.1\", for: SECURITY)", List.of(
                    "directive @policy(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
                    "scalar policy__Policy")));
        }
        if (used.contains("context")) {
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/context/v0.1\", for: SECURITY)", List.of(
                    "directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION",
                    "directive @context__fromContext(field: context__ContextFieldValue) on ARGUMENT_DEFINITION",
                    "scalar context__ContextFieldValue")));
        }
        if (used.contains("cost") || used.contains("listSize")) {
            List<String> definitions = new ArrayList<>();
            if (used.contains("cost")) definitions.add("directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR");
            if (used.contains("listSize")) definitions.add("directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION");
            specs.add(new LinkedSpec("@link(url: \"https://specs.apollo.dev/cost/v0.1\"" + (used.contains("listSize") ? ", import: [\"@listSize\"]" : "") + ")", definitions));
        }
        return specs;
    }
}
