package dev.vestibule.samples.data;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The whole sample dataset, generated from one fixed seed. Every subgraph builds the same instance independently
 * (it takes milliseconds), so ids agree across subgraphs without any of them talking to another: reviews point at
 * products and users that exist, media at products, products at sellers.
 */
public final class SampleData {
    public static final long SEED = 20_261_123L;
    public static final int USERS = 200;
    public static final int SELLERS = 50;
    public static final int PRODUCTS = 1_000;
    public static final int REVIEWS = 10_000;

    private static final OffsetDateTime EPOCH = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken",
            "Margaret", "Niklaus", "Radia", "Tim", "Katherine", "Dennis", "Hedy", "John"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen",
            "Thompson", "Hamilton", "Wirth", "Perlman", "Berners-Lee", "Johnson", "Ritchie", "Lamarr", "Backus"};
    private static final String[] ADJECTIVES = {"Compact", "Deluxe", "Eco", "Ultra", "Classic", "Smart", "Rugged",
            "Silent", "Portable", "Vintage"};
    private static final String[] NOUNS = {"Lamp", "Kettle", "Drone", "Notebook", "Chair", "Speaker", "Puzzle",
            "Planter", "Backpack", "Camera", "Novel", "Robot"};
    private static final String[] COLORS = {"red", "blue", "black", "white", "green"};
    private static final String[] SIZES = {"S", "M", "L", "XL"};
    private static final String[] TAGS = {"new", "sale", "gift", "bestseller", "limited", "refurbished"};
    private static final String[] WAREHOUSE_CODES = {"AMS1", "NYC2", "SFO3"};
    private static final String[] WAREHOUSE_CITIES = {"Amsterdam", "New York", "San Francisco"};

    private static final SampleData INSTANCE = generate();

    private final List<User> users;
    private final List<Seller> sellers;
    private final List<Product> products;
    private final List<Review> reviews;
    private final List<Warehouse> warehouses;
    private final List<MediaItem> media;
    private final Map<String, User> usersById;
    private final Map<String, User> usersByEmail;
    private final Map<String, Product> productsByUpc;
    private final Map<String, Review> reviewsById;
    private final Map<String, MediaItem> mediaById;
    private final Map<String, List<Review>> reviewsByProduct;
    private final Map<String, List<Review>> reviewsByAuthor;
    private final Map<String, List<MediaItem>> mediaByProduct;

    private SampleData(List<User> users, List<Seller> sellers, List<Product> products, List<Review> reviews,
                       List<Warehouse> warehouses, List<MediaItem> media) {
        this.users = List.copyOf(users);
        this.sellers = List.copyOf(sellers);
        this.products = List.copyOf(products);
        this.reviews = List.copyOf(reviews);
        this.warehouses = List.copyOf(warehouses);
        this.media = List.copyOf(media);
        this.usersById = index(users, User::id);
        this.usersByEmail = index(users, User::email);
        this.productsByUpc = index(products, Product::upc);
        this.reviewsById = index(reviews, Review::id);
        this.mediaById = index(media, MediaItem::id);
        this.reviewsByProduct = group(reviews, Review::productUpc);
        this.reviewsByAuthor = group(reviews, Review::authorId);
        this.mediaByProduct = group(media, MediaItem::productUpc);
    }

    /** The shared, immutable dataset. */
    public static SampleData get() {
        return INSTANCE;
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T item : items) map.put(key.apply(item), item);
        return Collections.unmodifiableMap(map);
    }

    private static <T> Map<String, List<T>> group(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.collectingAndThen(
                Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toUnmodifiableList()),
                Collections::unmodifiableMap));
    }

    private static SampleData generate() {
        Random random = new Random(SEED);
        List<User> users = new ArrayList<>();
        for (int i = 1; i <= USERS; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            Role role = i == USERS ? Role.SYSTEM : (i % 25 == 0 ? Role.ADMIN : Role.CUSTOMER);
            MembershipTier tier = i % 7 == 0 ? null : MembershipTier.values()[random.nextInt(3)];
            users.add(new User("u" + i, "user" + i + "@example.com", (first + "." + last + i).toLowerCase(),
                    first, last, role, EPOCH.plusHours(random.nextInt(24 * 365)),
                    "support ticket #" + (1000 + i), tier));
        }
        List<Seller> sellers = new ArrayList<>();
        for (int i = 1; i <= SELLERS; i++) {
            Marketplace marketplace = i % 2 == 0 ? Marketplace.EU : Marketplace.US;
            Double rating = i % 10 == 0 ? null : Math.round((3 + random.nextDouble() * 2) * 10) / 10.0;
            sellers.add(new Seller(marketplace, "s" + i, "Seller " + i, rating));
        }
        List<Warehouse> warehouses = new ArrayList<>();
        for (int i = 0; i < WAREHOUSE_CODES.length; i++) warehouses.add(new Warehouse(WAREHOUSE_CODES[i], WAREHOUSE_CITIES[i]));

        List<Product> products = new ArrayList<>();
        for (int i = 1; i <= PRODUCTS; i++) {
            String name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)] + " " + i;
            int price = 199 + random.nextInt(50_000);
            Category category = i % 100 == 0 ? Category.OUTLET : Category.values()[random.nextInt(Category.values().length - 1)];
            List<String> tags = i % 9 == 0 ? null : List.of(TAGS[random.nextInt(TAGS.length)], TAGS[random.nextInt(TAGS.length)]);
            Seller seller = i % 13 == 0 ? null : sellers.get(random.nextInt(SELLERS));
            Dimensions dimensions = i % 11 == 0 ? null
                    : new Dimensions(50 + random.nextInt(500), 50 + random.nextInt(400), 10 + random.nextInt(300));
            int quantity = random.nextInt(4) == 0 ? 0 : random.nextInt(200);
            List<Integer> stock = new ArrayList<>();
            int left = quantity;
            for (int w = 0; w < warehouses.size(); w++) {
                int here = w == warehouses.size() - 1 ? left : random.nextInt(left + 1);
                stock.add(here);
                left -= here;
            }
            products.add(new Product("p" + i, String.valueOf(100_000 + i), "SKU-" + (1 + (i - 1) / 3),
                    "v" + (1 + (i - 1) % 3), COLORS[random.nextInt(COLORS.length)],
                    i % 4 == 0 ? null : SIZES[random.nextInt(SIZES.length)], name,
                    i % 5 == 0 ? null : "The " + name.toLowerCase() + ", made to last.", price,
                    100 + random.nextInt(20_000), category, tags, (long) random.nextInt(1_000_000) * 4_000L,
                    seller == null ? null : seller.key(), price * (40 + random.nextInt(40)) / 100, dimensions,
                    quantity, List.copyOf(stock)));
        }
        List<Review> reviews = new ArrayList<>();
        for (int i = 1; i <= REVIEWS; i++) {
            Product product = products.get(random.nextInt(PRODUCTS));
            User author = users.get(random.nextInt(USERS - 1)); // the SYSTEM user writes no reviews
            int rating = 1 + random.nextInt(5);
            reviews.add(new Review("r" + i, product.upc(), author.id(), rating,
                    i % 3 == 0 ? null : (rating >= 4 ? "Great " : "Not great: ") + product.name(),
                    "Review " + i + " of " + product.name() + ": " + rating + " stars.",
                    EPOCH.plusMinutes(i * 37L), i % 50 == 0 ? ReviewStatus.FLAGGED : ReviewStatus.PUBLISHED,
                    random.nextInt(100)));
        }
        List<MediaItem> media = new ArrayList<>();
        for (Product product : products) {
            int n = Integer.parseInt(product.id().substring(1));
            media.add(new MediaItem("img-" + n, MediaKind.IMAGE, product.upc(), "Photo of " + product.name(),
                    "https://cdn.example.com/img/" + product.upc() + ".jpg", 800 + n % 5 * 100, 600, 
                    n % 6 == 0 ? null : "A " + product.color() + " " + product.name(), 0, null));
            if (n % 4 == 0) {
                media.add(new MediaItem("vid-" + n, MediaKind.VIDEO, product.upc(), "Video of " + product.name(),
                        "https://cdn.example.com/vid/" + product.upc() + ".mp4", 0, 0, null, 30 + n % 300, "img-" + n));
            }
        }
        return new SampleData(users, sellers, products, reviews, warehouses, media);
    }

    public List<User> users() { return users; }
    public List<Seller> sellers() { return sellers; }
    public List<Product> products() { return products; }
    public List<Review> reviews() { return reviews; }
    public List<Warehouse> warehouses() { return warehouses; }
    public List<MediaItem> media() { return media; }
    public User user(String id) { return usersById.get(id); }
    public User userByEmail(String email) { return usersByEmail.get(email); }
    public Product product(String upc) { return productsByUpc.get(upc); }
    public Review review(String id) { return reviewsById.get(id); }
    public MediaItem mediaItem(String id) { return mediaById.get(id); }
    public List<Review> reviewsOfProduct(String upc) { return reviewsByProduct.getOrDefault(upc, List.of()); }
    public List<Review> reviewsByAuthor(String userId) { return reviewsByAuthor.getOrDefault(userId, List.of()); }
    public List<MediaItem> mediaOfProduct(String upc) { return mediaByProduct.getOrDefault(upc, List.of()); }

    public Seller seller(Marketplace marketplace, String sellerId) {
        return sellers.stream().filter(s -> s.marketplace() == marketplace && s.sellerId().equals(sellerId))
                .findFirst().orElse(null);
    }

    public Product productBySku(String sku, String variationId) {
        return products.stream().filter(p -> p.sku().equals(sku) && p.variationId().equals(variationId))
                .findFirst().orElse(null);
    }

    // ---- the records every subgraph shares ------------------------------------------------------------------

    public enum Role { CUSTOMER, ADMIN, SYSTEM }
    public enum MembershipTier { BASIC, GOLD, PLATINUM }
    public enum Marketplace { US, EU }
    public enum Category { BOOKS, ELECTRONICS, GARDEN, HOME, TOYS, OUTLET }
    public enum ReviewStatus { PUBLISHED, FLAGGED }
    public enum MediaKind { IMAGE, VIDEO }

    public record User(String id, String email, String username, String firstName, String lastName, Role role,
                       OffsetDateTime createdAt, String internalNotes, MembershipTier membership) {}

    public record SellerKey(Marketplace marketplace, String sellerId) {}

    public record Seller(Marketplace marketplace, String sellerId, String displayName, Double rating) {
        public SellerKey key() { return new SellerKey(marketplace, sellerId); }
    }

    public record Dimensions(int length, int width, int height) {}

    public record Product(String id, String upc, String sku, String variationId, String color, String size,
                          String name, String description, int price, int weightGrams, Category category,
                          List<String> tags, long salesCount, SellerKey seller, int costPrice, Dimensions dimensions,
                          int quantity, List<Integer> stockPerWarehouse) {}

    public record Review(String id, String productUpc, String authorId, int rating, String title, String body,
                         OffsetDateTime createdAt, ReviewStatus status, int helpfulVotes) {}

    public record Warehouse(String code, String city) {}

    public record MediaItem(String id, MediaKind kind, String productUpc, String title, String url, int width,
                            int height, String altText, int durationSeconds, String thumbnailId) {}
}
