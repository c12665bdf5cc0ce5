package com.storageos.etcd.tool.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Tells {@code streamed} the bytes written so far after each write: a snapshot's progress as it streams. */
final class CountingOutputStream extends FilterOutputStream {
    private final LongConsumer streamed;
    private long count;

    CountingOutputStream(OutputStream out, LongConsumer streamed) {
        super(out);
        this.streamed = streamed;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
        streamed.accept(count);
    }
}
