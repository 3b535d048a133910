package io.weft.portal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.data.provider.Query;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A grid's request of any size is served by fabric pages of at most 1000 items. */
class PagedItemsTest {

  private final List<Integer> list = IntStream.range(0, 2_500).boxed().toList();
  private final List<PageRequest> asked = new ArrayList<>();

  private Page<Integer> page(PageRequest request) {
    asked.add(request);
    int from = Math.min(request.offset(), list.size());
    int to = Math.min(from + request.limit(), list.size());
    return new Page<>(list.subList(from, to), list.size(), request);
  }

  @Test
  void everythingFromAnOffsetIsReadInPagesOfAtMostTheMaximum() {
    List<Integer> items =
        PagedItems.fetch(new Query<>(10, Integer.MAX_VALUE, List.of(), null, null), this::page)
            .toList();

    assertThat(items).containsExactlyElementsOf(list.subList(10, 2_500));
    assertThat(asked).allMatch(r -> r.limit() <= PageRequest.MAX_LIMIT).hasSize(3);
  }

  @Test
  void aScreenfulIsOneRequestAndTheCountIsTheTotal() {
    assertThat(PagedItems.fetch(new Query<>(2_480, 50, List.of(), null, null), this::page))
        .containsExactlyElementsOf(list.subList(2_480, 2_500));
    assertThat(asked).containsExactly(new PageRequest(2_480, 50));
    assertThat(PagedItems.count(this::page)).isEqualTo(2_500);
  }
}
