package io.weft.portal.ui.diagnostics;

import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.UnorderedList;
import io.weft.diagnostics.Blocker;
import java.util.List;

/** A trace's blockers, each with its fix and whether the trace went on as if it were fixed. */
class BlockerList extends UnorderedList {

  /** Shows these blockers in place of the ones shown before. */
  void show(List<Blocker> shown) {
    removeAll();
    for (Blocker b : shown) {
      add(
          new ListItem(
              b.cause()
                  + " — fix: "
                  + b.fix()
                  + (b.assumedFixed() ? " (traced on as if fixed)" : "")));
    }
  }
}
