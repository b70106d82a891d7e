/** The ViT image tower and FLIP's patch dropout. */
package dev.align.models.vision;
