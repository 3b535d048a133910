package io.weft.portal.ui;

import com.vaadin.flow.data.provider.Query;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Lazy grids backed by the fabric's paged lists: a grid asks for any offset and limit (more than a
 * page when scrolled fast, everything when a test reads every item), the fabric answers pages of at
 * most {@link PageRequest#MAX_LIMIT} items, so a request is split into pages here.
 */
public final class PagedItems {

  private PagedItems() {}

  /** The items the grid's query asks for, read page by page until it is served or the list ends. */
  public static <T> Stream<T> fetch(Query<T, ?> query, Function<PageRequest, Page<T>> source) {
    int offset = query.getOffset();
    int wanted = query.getLimit();
    List<T> items = new ArrayList<>();
    while (items.size() < wanted) {
      int size = Math.min(PageRequest.MAX_LIMIT, wanted - items.size());
      Page<T> page = source.apply(new PageRequest(offset + items.size(), size));
      items.addAll(page.items());
      if (page.next().isEmpty()) {
        break;
      }
    }
    return items.stream();
  }

  /** How many items the whole list holds, from the smallest page the fabric serves. */
  public static <T> int count(Function<PageRequest, Page<T>> source) {
    return (int) Math.min(Integer.MAX_VALUE, source.apply(PageRequest.first(1)).total());
  }
}
