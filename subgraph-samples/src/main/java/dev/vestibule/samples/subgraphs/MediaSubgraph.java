package dev.vestibule.samples.subgraphs;

import static graphql.schema.idl.TypeRuntimeWiring.newTypeWiring;

import dev.vestibule.samples.data.SampleData;
import dev.vestibule.samples.data.SampleData.MediaItem;
import dev.vestibule.samples.data.SampleData.MediaKind;
import graphql.scalars.ExtendedScalars;
import graphql.schema.idl.RuntimeWiring;
import java.util.List;
import java.util.Map;

/** media: images and videos of products, behind the Media entity interface. */
public final class MediaSubgraph extends SampleSubgraph {
    private final SampleData data = SampleData.get();
    /** Every fourth product has a video too: the featured list alternates kinds. */
    private final List<MediaItem> featured = data.media().stream().filter(m -> m.id().endsWith("0")).toList();

    record ProductReference(String upc) {}

    @Override
    public String name() { return "media"; }

    @Override
    protected RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(ExtendedScalars.Url)
                .type(newTypeWiring("Query")
                        .dataFetcher("media", env -> data.mediaItem(env.getArgument("id")))
                        .dataFetcher("featuredMedia", env -> featured.subList(0,
                                Math.max(0, Math.min(featured.size(), env.<Integer>getArgument("first"))))))
                .type(newTypeWiring("Video")
                        .dataFetcher("thumbnail", env -> {
                            String thumbnail = env.<MediaItem>getSource().thumbnailId();
                            return thumbnail == null ? null : data.mediaItem(thumbnail);
                        }))
                .type(newTypeWiring("Product")
                        .dataFetcher("media", env -> data.mediaOfProduct(env.<ProductReference>getSource().upc()))
                        .dataFetcher("coverImage", env -> data.mediaOfProduct(env.<ProductReference>getSource().upc())
                                .stream().filter(m -> m.kind() == MediaKind.IMAGE).findFirst().orElse(null)))
                .type(newTypeWiring("Media").typeResolver(typeResolver()))
                .build();
    }

    @Override
    protected Object resolveEntity(Map<String, Object> representation) {
        return switch (String.valueOf(representation.get("__typename"))) {
            case "Media", "Image", "Video" -> {
                MediaItem item = representation.get("id") instanceof String id ? data.mediaItem(id) : null;
                String typename = String.valueOf(representation.get("__typename"));
                // A concrete __typename must match the item's kind; the interface name matches either.
                yield item != null && (typename.equals("Media") || typename.equals(typeNameOf(item))) ? item : null;
            }
            case "Product" -> representation.get("upc") instanceof String upc && data.product(upc) != null
                    ? new ProductReference(upc) : null;
            default -> null;
        };
    }

    @Override
    protected String typeNameOf(Object value) {
        return switch (value) {
            case MediaItem m -> m.kind() == MediaKind.IMAGE ? "Image" : "Video";
            case ProductReference p -> "Product";
            default -> throw new IllegalStateException("media cannot name the type of " + value);
        };
    }
}
