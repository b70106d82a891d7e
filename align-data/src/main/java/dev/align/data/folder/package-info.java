/**
 * Image collections laid out on disk as folders: {@link dev.align.data.folder.ImageFolder}, one
 * sub-folder per class, as torchvision's {@code ImageFolder}.
 */
package dev.align.data.folder;
