package dev.vestibule.samples.subgraphs;

import static graphql.schema.idl.TypeRuntimeWiring.newTypeWiring;

import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.data.SampleData.Category;
import dev.vestibule.samples.data.SampleData.Product;
import graphql.scalars.ExtendedScalars;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** products: the catalogue (keys upc and sku + variation { id }) and search across products, users and reviews. */
public final class ProductsSubgraph extends SampleSubgraph {
    private final SampleData data = SampleData.get();
    private final List<Product> bestSellers = data.products().stream()
            .sorted(Comparator.comparingLong(Product::salesCount).reversed().thenComparing(Product::upc)).toList();

    /** A user that accounts resolves; products only knows the id. */
    record UserReference(String id) {}

    /** A review that reviews resolves; products only knows the id. */
    record ReviewReference(String id) {}

    @Override
    public String name() { return "products"; }

    @Override
    protected RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(ExtendedScalars.GraphQLLong)
                .type(newTypeWiring("Query")
                        .dataFetcher("topProducts", env -> bestSellers.subList(0,
                                Math.max(0, Math.min(bestSellers.size(), env.<Integer>getArgument("first")))))
                        .dataFetcher("product", env -> data.product(env.getArgument("upc")))
                        .dataFetcher("productBySku", env -> data.productBySku(env.getArgument("sku"), env.getArgument("variationId")))
                        .dataFetcher("products", env -> Pagination.connection(filter(env.getArgument("filter")),
                                env.getArgument("first"), env.getArgument("after"), Product::upc))
                        .dataFetcher("search", env -> search(env.getArgument("text"), env.getArgument("first"))))
                .type(newTypeWiring("Product")
                        .dataFetcher("variation", env -> {
                            Product p = env.getSource();
                            var variation = new HashMap<String, Object>();
                            variation.put("id", p.variationId());
                            variation.put("color", p.color());
                            variation.put("size", p.size());
                            return variation;
                        })
                        .dataFetcher("weight", env -> {
                            Product p = env.getSource();
                            Object unit = env.getArgument("unit");
                            return "KILOGRAM".equals(unit)
                                    ? p.weightGrams() / 1000.0 : (double) p.weightGrams();
                        })
                        .dataFetcher("inStock", env -> env.<Product>getSource().quantity() > 0))
                .type(newTypeWiring("Node").typeResolver(typeResolver()))
                .type(newTypeWiring("SearchResult").typeResolver(typeResolver()))
                .build();
    }

    private List<Product> filter(Map<String, Object> filter) {
        if (filter == null) return data.products();
        Stream<Product> products = data.products().stream();
        if (filter.get("category") != null) {
            Category category = Category.valueOf(String.valueOf(filter.get("category")));
            products = products.filter(p -> p.category() == category);
        }
        if (filter.get("minPrice") instanceof Integer min) products = products.filter(p -> p.price() >= min);
        if (filter.get("maxPrice") instanceof Integer max) products = products.filter(p -> p.price() <= max);
        if (filter.get("nameContains") instanceof String text) {
            String needle = text.toLowerCase(Locale.ROOT);
            products = products.filter(p -> p.name().toLowerCase(Locale.ROOT).contains(needle));
        }
        return products.toList();
    }

    /** Products whose name matches, then users whose username matches, then reviews whose title matches. */
    private List<Object> search(String text, Integer first) {
        String needle = text.toLowerCase(Locale.ROOT);
        int limit = first == null ? 10 : Math.max(0, first);
        List<Object> results = new ArrayList<>();
        data.products().stream().filter(p -> p.name().toLowerCase(Locale.ROOT).contains(needle)).forEach(results::add);
        data.users().stream().filter(u -> u.username().contains(needle))
                .map(u -> new UserReference(u.id())).forEach(results::add);
        data.reviews().stream().filter(r -> r.title() != null && r.title().toLowerCase(Locale.ROOT).contains(needle))
                .map(r -> new ReviewReference(r.id())).forEach(results::add);
        return results.subList(0, Math.min(limit, results.size()));
    }

    @Override
    protected Object resolveEntity(Map<String, Object> representation) {
        if (!"Product".equals(representation.get("__typename"))) return null;
        if (representation.get("upc") instanceof String upc) return data.product(upc);
        if (representation.get("sku") instanceof String sku && representation.get("variation") instanceof Map<?, ?> variation
                && variation.get("id") instanceof String variationId) {
            return data.productBySku(sku, variationId);
        }
        return null;
    }

    @Override
    protected String typeNameOf(Object value) {
        return switch (value) {
            case Product p -> "Product";
            case UserReference u -> "User";
            case ReviewReference r -> "Review";
            default -> throw new IllegalStateException("products cannot name the type of " + value);
        };
    }
}
