package dev.braid.events;

/**
 * Why one event of a batch cannot be accepted.
 *
 * @param index  its position in the batch, from 0
 * @param field  the field at fault ({@code event} when the entry is not an object at all)
 * @param reason the rule it breaks, with the value it had
 */
public record EventRejection(int index, String field, String reason) {
}
