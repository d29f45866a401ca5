package io.lightcone.core.internal.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A POSIX.1-2001 (pax) tar writer: ustar headers, plus an extended header where ustar falls short —
 * names that are long or not ASCII, sizes of 8 GiB and more, and nanosecond mtimes.
 *
 * <p>Hand-written rather than commons-compress's because that one rounds pax {@code mtime} to 100
 * ns, and an input file's mtime, to the nanosecond, is its {@code input_versions} entry: a rounded
 * one makes every output that reads it stale after unpacking. Owners are always root with no names.
 */
final class TarWriter implements AutoCloseable {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_SIZE = 077777777777L;

  private final OutputStream out;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** A directory entry ({@code name} without the trailing slash). */
  void directory(String name, int mode, long mtimeNanos) throws IOException {
    header(name + "/", '5', mode, 0, mtimeNanos);
  }

  /** A regular file of exactly {@code size} bytes read from {@code data}. */
  void file(String name, int mode, long mtimeNanos, long size, InputStream data)
      throws IOException {
    header(name, '0', mode, size, mtimeNanos);
    long copied = 0;
    byte[] buffer = new byte[1 << 16];
    int n;
    while (copied < size
        && (n = data.read(buffer, 0, (int) Math.min(buffer.length, size - copied))) > 0) {
      out.write(buffer, 0, n);
      copied += n;
    }
    if (copied != size) {
      throw new IOException(name + " changed size while being archived");
    }
    pad(size);
  }

  /** Two zero blocks end the archive; leaves the stream open. */
  @Override
  public void close() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void header(String name, char type, int mode, long size, long mtimeNanos)
      throws IOException {
    long seconds = Math.floorDiv(mtimeNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(mtimeNanos, 1_000_000_000L);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    Map<String, String> pax = new LinkedHashMap<>();
    boolean ascii = nameBytes.length == name.length();
    if (!ascii || nameBytes.length > 100) {
      pax.put("path", name);
    }
    if (size > MAX_OCTAL_SIZE) {
      pax.put("size", Long.toString(size));
    }
    if (nanos != 0 || seconds < 0 || seconds > MAX_OCTAL_SIZE) {
      pax.put("mtime", String.format(Locale.ROOT, "%d.%09d", seconds, nanos));
    }
    if (!pax.isEmpty()) {
      byte[] records = records(pax);
      // The extended header's own name only shows in tools that do not know pax; keep it ASCII.
      writeHeader(fallback("PaxHeaders/" + name), 'x', 0644, records.length, 0);
      out.write(records);
      pad(records.length);
    }
    writeHeader(fallback(name), type, mode, Math.min(size, MAX_OCTAL_SIZE), clamp(seconds));
  }

  private static long clamp(long seconds) {
    return Math.max(0, Math.min(seconds, MAX_OCTAL_SIZE));
  }

  /** An ASCII name of at most 100 bytes standing in for {@code name} in the ustar field. */
  private static String fallback(String name) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length() && b.length() < 100; i++) {
      char c = name.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '_');
    }
    return b.toString();
  }

  /** {@code "<length> key=value\n"} records, the length counting itself. */
  static byte[] records(Map<String, String> pax) {
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, String> e : pax.entrySet()) {
      int body =
          (" " + e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8).length;
      int length = body + Integer.toString(body).length();
      if (Integer.toString(length).length() != Integer.toString(body).length()) {
        length = body + Integer.toString(length).length();
      }
      all.append(length).append(' ').append(e.getKey()).append('=').append(e.getValue());
      all.append('\n');
    }
    return all.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void writeHeader(String name, char type, int mode, long size, long mtime)
      throws IOException {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.US_ASCII));
    octal(h, 100, 8, mode & 07777);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, String.format(Locale.ROOT, "%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
    out.write(h);
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = String.format(Locale.ROOT, "%0" + (length - 1) + "o", value);
    put(h, offset, length, (digits + "\0").getBytes(StandardCharsets.US_ASCII));
  }

  private static void put(byte[] h, int offset, int length, byte[] value) {
    System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
  }

  private void pad(long written) throws IOException {
    int rest = (int) (written % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
