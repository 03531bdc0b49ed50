package dev.braid.dev;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated, deterministic demo catalog: the same seed gives the same items on every machine, so simulators, tests and
 * the dev stack agree on ids. Item ids are {@code i1..iN}.
 */
public final class DemoCatalog {
    public static final int DEFAULT_SIZE = 6_000;
    public static final int EMBEDDING_DIMENSIONS = 16;
    /** The catalog's "now": publish times lie in the year before it. */
    static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

    /** Category → the nouns its titles use. */
    static final Map<String, List<String>> CATEGORIES = categories();
    private static final List<String> CATEGORY_NAMES = List.copyOf(CATEGORIES.keySet());
    private static final List<String> ADJECTIVES = List.of(
            "Classic", "Urban", "Trail", "Everyday", "Premium", "Compact", "Vintage", "Light", "Pro", "Eco", "Studio",
            "Weekend", "Travel", "Nordic", "Soft", "Bold", "Essential", "Coastal", "Alpine", "Midnight");
    private static final List<String> BRAND_STEMS = List.of(
            "Acme", "Borealis", "Cobalt", "Driftwood", "Ember", "Fjord", "Granite", "Harbor", "Indigo", "Juniper",
            "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchard", "Pioneer", "Quartz", "Redwood", "Sable", "Tundra",
            "Umber", "Vela", "Willow", "Xenon", "Yarrow", "Zephyr");
    private static final List<String> BRAND_SUFFIXES = List.of("", " & Co", " Works", " Labs", " Supply");

    /** One catalog item as indexed; field names are the index mapping's. */
    public record Item(String itemId, String title, String description, String category, String brand, double price,
                       double popularity, Instant publishedAt, boolean inStock, float[] embedding) {
    }

    private DemoCatalog() {
    }

    public static List<String> brands() {
        List<String> brands = new ArrayList<>();
        for (String suffix : BRAND_SUFFIXES) {
            for (String stem : BRAND_STEMS) {
                brands.add(stem + suffix);
            }
        }
        return brands;
    }

    public static List<String> itemIds(int size) {
        List<String> ids = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            ids.add("i" + i);
        }
        return ids;
    }

    public static List<Item> generate(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> brands = brands();
        List<Item> items = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            String category = CATEGORY_NAMES.get(random.nextInt(CATEGORY_NAMES.size()));
            String brand = brands.get(random.nextInt(brands.size()));
            String adjective = ADJECTIVES.get(random.nextInt(ADJECTIVES.size()));
            List<String> nouns = CATEGORIES.get(category);
            String noun = nouns.get(random.nextInt(nouns.size()));
            double price = Math.round((5 + Math.pow(random.nextDouble(), 2) * 495) * 100) / 100.0;
            // Popularity is long-tailed, as in real catalogs: a few items get most of the attention.
            double popularity = Math.round(1000 * Math.pow(random.nextDouble(), 6) * 100) / 100.0;
            Instant published = EPOCH.minus(random.nextInt(365 * 24 * 60), ChronoUnit.MINUTES);
            boolean inStock = random.nextInt(100) >= 7;
            items.add(new Item("i" + i, adjective + " " + brand + " " + noun,
                               "A " + adjective.toLowerCase(Locale.ROOT) + " " + noun.toLowerCase(Locale.ROOT) + " by "
                               + brand + ", from our " + category + " range.",
                               category, brand, price, popularity, published, inStock, embedding(random, category)));
        }
        return items;
    }

    private static Map<String, List<String>> categories() {
        Map<String, List<String>> categories = new LinkedHashMap<>();
        categories.put("shoes", List.of("Running Shoe", "Sneaker", "Boot", "Loafer"));
        categories.put("jackets", List.of("Rain Jacket", "Parka", "Bomber", "Softshell"));
        categories.put("shirts", List.of("Oxford Shirt", "Tee", "Polo", "Flannel"));
        categories.put("trousers", List.of("Chino", "Jeans", "Cargo Pant", "Jogger"));
        categories.put("dresses", List.of("Wrap Dress", "Maxi Dress", "Shirt Dress"));
        categories.put("bags", List.of("Backpack", "Tote", "Duffel", "Messenger Bag"));
        categories.put("watches", List.of("Chronograph", "Dive Watch", "Field Watch"));
        categories.put("sunglasses", List.of("Aviator", "Wayfarer", "Sport Shades"));
        categories.put("hats", List.of("Beanie", "Cap", "Bucket Hat"));
        categories.put("socks", List.of("Crew Sock", "Hiking Sock", "No-Show Sock"));
        categories.put("headphones", List.of("Over-Ear Headphones", "Earbuds", "Studio Monitor Headphones"));
        categories.put("speakers", List.of("Bluetooth Speaker", "Soundbar", "Bookshelf Speaker"));
        categories.put("laptops", List.of("Ultrabook", "Gaming Laptop", "Convertible"));
        categories.put("phones", List.of("Smartphone", "Phone Case", "Charger"));
        categories.put("tablets", List.of("Tablet", "E-Reader", "Stylus"));
        categories.put("cameras", List.of("Mirrorless Camera", "Action Camera", "Lens"));
        categories.put("kitchen", List.of("Chef Knife", "Skillet", "Espresso Maker", "Blender"));
        categories.put("bedding", List.of("Duvet", "Pillow", "Sheet Set"));
        categories.put("lighting", List.of("Desk Lamp", "Floor Lamp", "Pendant Light"));
        categories.put("furniture", List.of("Armchair", "Bookshelf", "Side Table", "Desk"));
        categories.put("garden", List.of("Planter", "Hose", "Pruner"));
        categories.put("toys", List.of("Puzzle", "Building Set", "Plush"));
        categories.put("books", List.of("Novel", "Cookbook", "Field Guide"));
        categories.put("sports", List.of("Yoga Mat", "Dumbbell", "Tennis Racket", "Bike Helmet"));
        categories.put("beauty", List.of("Face Serum", "Shampoo", "Lip Balm"));
        return categories;
    }

    /** Items of a category cluster around that category's direction, so cosine similarity means something. */
    private static float[] embedding(SplittableRandom random, String category) {
        SplittableRandom centre = new SplittableRandom(category.hashCode());
        float[] vector = new float[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) (centre.nextGaussian() + 0.35 * random.nextGaussian());
            norm += vector[d] * vector[d];
        }
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) (vector[d] / Math.sqrt(norm));
        }
        return vector;
    }
}
