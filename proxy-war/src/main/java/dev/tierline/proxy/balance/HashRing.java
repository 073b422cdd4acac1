package dev.tierline.proxy.balance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** An immutable hash ring over one list of candidates: each owns points on it in proportion to its weight. */
final class HashRing {

    /**
     * Points per unit of weight. A backend's share of the ring strays by about 1/sqrt(points) of itself: with
     * 200, four equal backends each hold 25% within 5 points for all but about one set of ids in 200 (with
     * ketama's 160, one in 70).
     */
    static final int POINTS_PER_WEIGHT = 200;

    /**
     * The most points one candidate gets, those of weight 100: larger weights count as 100, so a mistyped
     * weight cannot make a ring of millions of points, rebuilt on the request path.
     */
    static final int MAX_POINTS = 100 * POINTS_PER_WEIGHT;

    static final HashRing EMPTY = of(List.of());

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final String[] ids;
    private final int[] pointCounts;
    private final long[] points;
    private final int[] owners;

    private HashRing(String[] ids, int[] pointCounts, long[] points, int[] owners) {
        this.ids = ids;
        this.pointCounts = pointCounts;
        this.points = points;
        this.owners = owners;
    }

    static HashRing of(List<? extends Member> candidates) {
        String[] ids = new String[candidates.size()];
        int[] pointCounts = new int[ids.length];
        List<Point> placed = new ArrayList<>();
        for (int owner = 0; owner < ids.length; owner++) {
            ids[owner] = candidates.get(owner).backend().id();
            pointCounts[owner] = pointsFor(candidates.get(owner).weight());
            // A point depends only on the id and its index, so a candidate keeps its points whoever else is on
            // the ring, and a weight change only adds or removes points of its own: keys move to or from it alone.
            for (int index = 0; index < pointCounts[owner]; index++) {
                placed.add(new Point(pointHash(ids[owner], index), owner));
            }
        }
        // Ties (two points with the same 64-bit hash) go by id, so the ring does not depend on candidate order.
        placed.sort(Comparator.comparingLong(Point::hash).thenComparing(point -> ids[point.owner()]));
        long[] points = new long[placed.size()];
        int[] owners = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            points[i] = placed.get(i).hash();
            owners[i] = placed.get(i).owner();
        }
        return new HashRing(ids, pointCounts, points, owners);
    }

    /** Whether this ring was built for candidates with these ids, in this order, and these weights' points. */
    boolean isFor(List<? extends Member> candidates) {
        if (candidates.size() != ids.length) {
            return false;
        }
        for (int i = 0; i < ids.length; i++) {
            Member candidate = candidates.get(i);
            if (pointCounts[i] != pointsFor(candidate.weight()) || !ids[i].equals(candidate.backend().id())) {
                return false;
            }
        }
        return true;
    }

    /** Where the key's owner is in the candidates: the owner of the first point at or after the key's hash. */
    int ownerOf(String key) {
        int index = Arrays.binarySearch(points, hash(key));
        if (index < 0) {
            index = -index - 1;
        }
        // Past the last point the ring wraps around to the first.
        return owners[index == points.length ? 0 : index];
    }

    /** Weights are rounded to whole points, so the small changes of slow start rarely rebuild the ring. */
    static int pointsFor(double weight) {
        return (int) Math.max(1, Math.min(MAX_POINTS, Math.round(POINTS_PER_WEIGHT * weight)));
    }

    /*
     * FNV-1a over the UTF-16 units, then murmur3's fmix64 finalizer. No ring outside this process needs to agree
     * with ours, so ketama's MD5 buys nothing, and it would need a MessageDigest and a byte array per request;
     * this needs neither. FNV-1a alone barely moves a hash when only the last units change (its final multiply
     * carries the difference only upward), so one backend's points, which differ only in their index, would
     * bunch together on the ring; fmix64's avalanche spreads them.
     */
    static long hash(String key) {
        return fmix64(fnv1a(FNV_OFFSET, key));
    }

    static long pointHash(String id, int index) {
        long hash = fnv1a(FNV_OFFSET, id);
        for (int shift = 0; shift < 32; shift += 8) {
            hash = (hash ^ ((index >>> shift) & 0xff)) * FNV_PRIME;
        }
        return fmix64(hash);
    }

    private static long fnv1a(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * FNV_PRIME;
        }
        return hash;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private record Point(long hash, int owner) {}
}
