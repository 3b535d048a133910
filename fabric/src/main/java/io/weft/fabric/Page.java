package io.weft.fabric;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a long list in the list's stable order.
 *
 * @param items at most {@code request.limit()} items, starting at {@code request.offset()}
 * @param total how many items the whole list holds (counted in the same read)
 */
public record Page<T>(List<T> items, long total, PageRequest request) {

  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(request, "request");
  }

  /** The request for the page after this one, if the list goes on. */
  public Optional<PageRequest> next() {
    long end = (long) request.offset() + items.size();
    if (items.isEmpty() || end >= total || end > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new PageRequest((int) end, request.limit()));
  }
}
