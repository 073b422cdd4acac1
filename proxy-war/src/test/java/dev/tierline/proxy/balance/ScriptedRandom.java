package dev.tierline.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * Hands out given numbers in order, for tests that need exact draws; any draw beyond the script, or of a
 * kind the test did not script, fails the test.
 */
final class ScriptedRandom implements RandomGenerator {

    private final Deque<Integer> ints = new ArrayDeque<>();
    private final Deque<Double> doubles = new ArrayDeque<>();

    static ScriptedRandom none() {
        return new ScriptedRandom();
    }

    static ScriptedRandom withInts(int... values) {
        ScriptedRandom random = new ScriptedRandom();
        for (int value : values) {
            random.ints.add(value);
        }
        return random;
    }

    static ScriptedRandom withDoubles(double... values) {
        ScriptedRandom random = new ScriptedRandom();
        for (double value : values) {
            random.doubles.add(value);
        }
        return random;
    }

    @Override
    public int nextInt(int bound) {
        assertTrue(!ints.isEmpty(), "unscripted nextInt(" + bound + ")");
        int value = ints.remove();
        assertTrue(value >= 0 && value < bound, "scripted " + value + " is outside [0, " + bound + ")");
        return value;
    }

    @Override
    public double nextDouble() {
        assertTrue(!doubles.isEmpty(), "unscripted nextDouble()");
        return doubles.remove();
    }

    @Override
    public long nextLong() {
        throw new AssertionError("unscripted nextLong()");
    }

    boolean exhausted() {
        return ints.isEmpty() && doubles.isEmpty();
    }
}
