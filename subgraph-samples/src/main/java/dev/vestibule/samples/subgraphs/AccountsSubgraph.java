package dev.vestibule.samples.subgraphs;

import static graphql.schema.idl.TypeRuntimeWiring.newTypeWiring;

import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.data.SampleData.Marketplace;
import dev.vestibule.samples.data.SampleData.Seller;
import dev.vestibule.samples.data.SampleData.User;
import graphql.scalars.ExtendedScalars;
import graphql.schema.idl.RuntimeWiring;
import java.util.Map;

/** accounts: users (keys id and email) and sellers (compound key marketplace + sellerId). */
public final class AccountsSubgraph extends SampleSubgraph {
    /** The demo has no login: this user is "me". */
    static final String SIGNED_IN_USER = "u1";

    private final SampleData data = SampleData.get();

    @Override
    public String name() { return "accounts"; }

    @Override
    protected RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(ExtendedScalars.DateTime)
                .type(newTypeWiring("Query")
                        .dataFetcher("me", env -> data.user(SIGNED_IN_USER))
                        .dataFetcher("user", env -> data.user(env.getArgument("id")))
                        .dataFetcher("userByEmail", env -> data.userByEmail(env.getArgument("email")))
                        .dataFetcher("users", env -> Pagination.connection(data.users(),
                                env.getArgument("first"), env.getArgument("after"), User::id)))
                .type(newTypeWiring("User")
                        .dataFetcher("name", env -> {
                            User user = env.getSource();
                            return Map.of("first", user.firstName(), "last", user.lastName());
                        }))
                .type(newTypeWiring("Node").typeResolver(typeResolver()))
                .build();
    }

    @Override
    protected Object resolveEntity(Map<String, Object> representation) {
        return switch (String.valueOf(representation.get("__typename"))) {
            case "User" -> representation.get("id") instanceof String id ? data.user(id)
                    : representation.get("email") instanceof String email ? data.userByEmail(email) : null;
            case "Seller" -> {
                Marketplace marketplace = Marketplace.valueOf(String.valueOf(representation.get("marketplace")));
                yield data.seller(marketplace, String.valueOf(representation.get("sellerId")));
            }
            default -> null;
        };
    }

    @Override
    protected String typeNameOf(Object value) {
        return switch (value) {
            case User u -> "User";
            case Seller s -> "Seller";
            default -> throw new IllegalStateException("accounts cannot name the type of " + value);
        };
    }
}
