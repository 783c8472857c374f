package dev.vestibule.samples.subgraphs;

import com.apollographql.federation.graphqljava.Federation;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One sample subgraph: its published SDL (schemas/NAME.graphql, on the classpath) and the resolvers behind it.
 * federation-jvm adds the subgraph protocol: _service { sdl } and _entities(representations:).
 */
public abstract class SampleSubgraph {

    /** The subgraph's name, as in the supergraph and on the command line. */
    public abstract String name();


    /** Resolvers for the subgraph's own fields (the Query, Mutation and type fields). */
    protected abstract RuntimeWiring wiring();

    /** Resolves one representation {"__typename": ..., key fields..., required fields...} to an object, or null. */
    protected abstract Object resolveEntity(Map<String, Object> representation);

    /** The GraphQL type name of an object this subgraph returns where an abstract type (entity, union) is expected. */
    protected abstract String typeNameOf(Object value);

    public final String sdl() {
        String resource = "/schemas/" + name() + ".graphql";
        try (InputStream in = SampleSubgraph.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public final GraphQL graphql() {
        DataFetcher<List<Object>> entities = env -> {
            List<Map<String, Object>> representations = env.getArgument("representations");
            return representations.stream().map(this::resolveEntity).toList();
        };
        GraphQLSchema schema = Federation.transform(sdl(), wiring())
                .fetchEntities(entities)
                .resolveEntityType(typeResolver())
                .build();
        return GraphQL.newGraphQL(schema).build();
    }

    /** The type resolver every abstract type of the subgraph uses. */
    protected final TypeResolver typeResolver() {
        return env -> env.getSchema().getObjectType(typeNameOf(env.getObject()));
    }
}
