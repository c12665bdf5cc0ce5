package com.storageos.etcd.sandbox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's printed table: the operator's time beside etcd's floors, all in milliseconds. */
final class BenchTable {
    static final String NOTE = """
            Compare the operator to the by-hand floor. To form or grow a cluster that is the learner path: the
            operator never bootstraps several members at once, it starts one member and adds the others as
            learners one by one (add, start, promote); the static floor (all members started together with
            --initial-cluster) is shown only for reference. For a repair it is the same repair done by hand on
            plain etcd: a restart on the member's data after a container kill or pod delete; member remove,
            add learner, start on an empty dir and promote, for each member whose data was lost.""";

    /** One scenario; a null time means "not measured" and prints as "-". */
    record Row(String scenario, Long operatorMillis, Long learnerFloorMillis, Long staticFloorMillis, Long outageMillis) {
    }

    private static final String[] HEADER = {"scenario", "operator", "floor (by hand)", "operator/floor", "floor (static)",
            "longest write outage"};

    private BenchTable() {
    }

    static String format(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : rows) {
            cells.add(new String[] {r.scenario(), ms(r.operatorMillis()), ms(r.learnerFloorMillis()),
                    ratio(r.operatorMillis(), r.learnerFloorMillis()), ms(r.staticFloorMillis()), ms(r.outageMillis())});
        }
        int[] widths = new int[HEADER.length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                String pad = " ".repeat(widths[i] - line[i].length());
                // The scenario column reads left to right, the numbers line up on the right.
                out.append(i == 0 ? line[i] + pad : pad + line[i]).append(i == line.length - 1 ? "" : "  ");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String ms(Long millis) {
        return millis == null ? "-" : millis + " ms";
    }

    static String ratio(Long operator, Long floor) {
        if (operator == null || floor == null || floor <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "x%.1f", (double) operator / floor);
    }
}
