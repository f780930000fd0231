"""What leaves the app: links, downloads, images, slides."""
