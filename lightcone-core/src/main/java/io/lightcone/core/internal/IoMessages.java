package io.lightcone.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * An I/O failure in plain words with the path it concerns, for messages a user reads: {@code
 * String.valueOf(e)} would show a Java class name ({@code java.nio.file.FileSystemException: ...}),
 * and the message of some exceptions is the bare path without saying what went wrong.
 */
public final class IoMessages {
  private IoMessages() {}

  /** E.g. {@code results/a/.x: no space left on device}. */
  public static String plain(Throwable e) {
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return plain(u.getCause());
    }
    if (e instanceof FileSystemException f) {
      String where =
          (f.getFile() == null ? "" : f.getFile())
              + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
      String what = reason(f);
      return where.isEmpty() ? what : where + ": " + what;
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e instanceof IOException ? "an input/output error" : "an internal error";
    }
    return lowerFirst(message);
  }

  private static String reason(FileSystemException f) {
    if (f.getReason() != null && !f.getReason().isBlank()) {
      return lowerFirst(f.getReason());
    }
    if (f instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (f instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (f instanceof FileAlreadyExistsException) {
      return "it already exists";
    }
    if (f instanceof DirectoryNotEmptyException) {
      return "the directory is not empty";
    }
    if (f instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (f instanceof FileSystemLoopException) {
      return "a loop of symbolic links";
    }
    return "the file system refused the operation";
  }

  /**
   * The JDK copies C library messages ("No space left on device"); mid-sentence they read lower.
   */
  private static String lowerFirst(String s) {
    return s.length() > 1
            && Character.isUpperCase(s.charAt(0))
            && Character.isLowerCase(s.charAt(1))
        ? Character.toLowerCase(s.charAt(0)) + s.substring(1)
        : s;
  }
}
