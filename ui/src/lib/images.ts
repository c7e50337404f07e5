// Addresses of figures' images: the app's own protocol (src-tauri/src/images.rs),
// answered from the open notebook only — never a file path, never the network.
import { convertFileSrc } from '@tauri-apps/api/core';

/** `dossier-image://localhost/ARTICLE%2FSHA` (`http://dossier-image.localhost/…` on Windows). */
export function figureImageUrl(articleId: string, sha256: string): string {
  return convertFileSrc(`${articleId}/${sha256}`, 'dossier-image');
}
