package dev.vestibule.router.composition;

/**
 * One subgraph to compose: its name (unique, becomes a {@code join__Graph} value), its routing URL, its SDL, and
 * where the SDL came from (a file or the subgraph's {@code _service { sdl }}), for messages.
 */
public record SubgraphSource(String name, String url, String sdl, String origin) {
    public SubgraphSource {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a subgraph needs a name");
        if (url == null || url.isBlank()) throw new IllegalArgumentException("subgraph " + name + " needs a routing url");
        if (sdl == null) throw new IllegalArgumentException("subgraph " + name + " needs a schema");
    }

    public SubgraphSource(String name, String url, String sdl) {
        this(name, url, sdl, name);
    }
}
