// <language-card>: langcard's element for intranet pages. Load it with
//   <script src="https://langcard.example/static/embed.js" async></script>
// This file describes its attributes, properties, events, CSS custom
// properties and parts for editors and linters (custom-elements.json too).

/** The detail of langcard-saved, langcard-added and langcard-deleted. */
export interface LanguageCardLanguage {
  /** The language's id on the profile. */
  id: string;
  /** Its BCP 47 tag, such as "nb-NO". */
  tag: string;
  /** Its name as shown on the profile. */
  name: string;
}

/** The detail of langcard-error. */
export interface LanguageCardError {
  /** What failed: the API's error code ("badGateway", "serviceNotAvailable", …), "unreachable" or "deleteFailed". */
  code: string;
  /** What the person was told, in their language. */
  message: string;
}

export interface LanguageCardEventMap {
  /** The card is shown and ready (the widget has taken it over, or it needs none). */
  "langcard-ready": CustomEvent<Record<string, never>>;
  "langcard-saved": CustomEvent<LanguageCardLanguage>;
  "langcard-added": CustomEvent<LanguageCardLanguage>;
  "langcard-deleted": CustomEvent<LanguageCardLanguage>;
  "langcard-error": CustomEvent<LanguageCardError>;
  /** The person is not signed in (or their session ended): the card offers to sign in. */
  "langcard-signin-required": CustomEvent<Record<string, never>>;
}

export interface LanguageCardElement extends HTMLElement {
  addEventListener<K extends keyof LanguageCardEventMap>(type: K, listener: (this: LanguageCardElement, ev: LanguageCardEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof LanguageCardEventMap>(type: K, listener: (this: LanguageCardElement, ev: LanguageCardEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "language-card": LanguageCardElement;
  }
  interface HTMLElementEventMap extends LanguageCardEventMap {}
}

/**
 * Attributes (all optional; a change on a live element shows it again):
 * - user: a colleague's userPrincipalName or object id (read-only, what they share); none: the viewer's own.
 * - layout: "full" | "compact".
 * - lang: the card's language ("en", "nb"); otherwise the browser's.
 * - heading-level: "1" … "5", the level of the card's title (default 2; its languages one below).
 * - readonly: the viewer's own languages without Edit.
 *
 * CSS custom properties, set on the element: --langcard-font-family, --langcard-accent,
 * --langcard-accent-text, --langcard-radius, --langcard-text, --langcard-muted, --langcard-border,
 * --langcard-background, --langcard-card-background, --langcard-error, --langcard-success,
 * --langcard-focus.
 *
 * Parts, for ::part(): title, card, heading, summary, edit, save, cancel, delete, field, error, add.
 */
export type LanguageCardAttributes = {
  user?: string;
  layout?: "full" | "compact";
  lang?: string;
  "heading-level"?: "1" | "2" | "3" | "4" | "5";
  readonly?: boolean | "";
};
