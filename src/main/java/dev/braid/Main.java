package dev.braid;
public final class Main { public static void main(String[] a) {} }
