/// <reference types="vite/client" />
/**
 * The web client's entry point (client/index.html loads it): defines every custom element in
 * client/elements/, including the chat and call views, which <jg-app> renders when they exist.
 */
import.meta.glob('./elements/*.ts', { eager: true });
