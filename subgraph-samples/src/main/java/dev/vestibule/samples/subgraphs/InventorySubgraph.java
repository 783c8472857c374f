package dev.vestibule.samples.subgraphs;

import static graphql.schema.idl.TypeRuntimeWiring.newTypeWiring;

import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.data.SampleData.Dimensions;
import dev.vestibule.samples.data.SampleData.Product;
import dev.vestibule.samples.data.SampleData.Warehouse;
import graphql.GraphqlErrorException;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * inventory: stock and shipping. Its shipping fields need the catalogue's price, weight, cost and dimensions, which
 * it never stores: they arrive in the representation (@requires), and a missing one is an error, not a lookup.
 */
public final class InventorySubgraph extends SampleSubgraph {
    private final SampleData data = SampleData.get();

    /** What inventory knows of a product, plus the fields the router brought along for @requires. */
    record StockedProduct(String upc, int quantity, List<Integer> stockPerWarehouse, Map<String, Object> required) {}

    record StockLevel(Warehouse warehouse, int quantity) {}

    @Override
    public String name() { return "inventory"; }

    @Override
    protected RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .type(newTypeWiring("Query")
                        .dataFetcher("product", env -> stocked(env.getArgument("upc"), Map.of()))
                        .dataFetcher("warehouses", env -> data.warehouses()))
                .type(newTypeWiring("Product")
                        .dataFetcher("inStock", env -> env.<StockedProduct>getSource().quantity() > 0)
                        .dataFetcher("shippingEstimate", this::shippingEstimate)
                        .dataFetcher("margin", env -> {
                            StockedProduct p = env.getSource();
                            return required(p, "price", Number.class).intValue() - required(p, "costPrice", Number.class).intValue();
                        })
                        .dataFetcher("shippingBox", env -> {
                            Map<?, ?> dims = required(env.getSource(), "dimensions", Map.class, true);
                            if (dims == null) return null;
                            return new Dimensions(number(dims, "length") + 20, number(dims, "width") + 20, number(dims, "height") + 20);
                        })
                        .dataFetcher("stock", env -> {
                            StockedProduct p = env.getSource();
                            List<StockLevel> levels = new ArrayList<>();
                            for (int i = 0; i < data.warehouses().size(); i++) {
                                levels.add(new StockLevel(data.warehouses().get(i), p.stockPerWarehouse().get(i)));
                            }
                            return levels;
                        }))
                .build();
    }

    /** Cents: a base fee, 120 cents per kilogram, free base fee above 100.00, and a surcharge per zip zone. */
    private int shippingEstimate(DataFetchingEnvironment env) {
        StockedProduct p = env.getSource();
        int price = required(p, "price", Number.class).intValue();
        double kilograms = required(p, "weight", Number.class).doubleValue();
        String zip = env.getArgument("zip");
        int zone = zip == null || zip.isEmpty() ? 0 : Character.getNumericValue(zip.charAt(0));
        int base = price > 10_000 ? 0 : 499;
        return base + (int) Math.round(kilograms * 120) + Math.max(0, zone) * 25;
    }

    private static int number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).intValue();
    }

    private static <T> T required(StockedProduct p, String field, Class<T> type) {
        return required(p, field, type, false);
    }

    private static <T> T required(StockedProduct p, String field, Class<T> type, boolean nullable) {
        Object value = p.required().get(field);
        if (value == null && nullable && p.required().containsKey(field)) return null;
        if (!type.isInstance(value)) {
            throw GraphqlErrorException.newErrorException()
                    .message("inventory needs Product." + field + " in the representation (it is @external here and"
                            + " named in @requires); got " + value)
                    .extensions(Map.of("code", "MISSING_REQUIRED_FIELD")).build();
        }
        return type.cast(value);
    }

    private StockedProduct stocked(String upc, Map<String, Object> representation) {
        Product product = data.product(upc);
        return product == null ? null
                : new StockedProduct(upc, product.quantity(), product.stockPerWarehouse(), representation);
    }

    @Override
    protected Object resolveEntity(Map<String, Object> representation) {
        if (!"Product".equals(representation.get("__typename"))) return null;
        return representation.get("upc") instanceof String upc ? stocked(upc, representation) : null;
    }

    @Override
    protected String typeNameOf(Object value) {
        if (value instanceof StockedProduct) return "Product";
        throw new IllegalStateException("inventory cannot name the type of " + value);
    }
}
