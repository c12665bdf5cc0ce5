package com.storageos.etcd.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Rows as kubectl prints them: columns padded to their widest cell, three spaces apart, no trailing blanks. */
final class Table {
    private Table() {
    }

    static List<String> render(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c + 1 < row.size() ? String.format("%-" + (width[c] + 3) + "s", row.get(c)) : row.get(c));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** 1536 -> "1.5 KiB": sizes as a person reads them. */
    static String bytes(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, units[unit]);
    }

    /** kubectl's short ages: 45s, 12m, 3h, 2d. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
    }
}
