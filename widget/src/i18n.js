// Interface strings in English and French; the element's lang (or the page's) picks one.
export const MESSAGES = {
  en: {
    loading: "Loading…", text: "Text", font: "Font", color: "Colour", effect: "Effect",
    preview: "Preview", rendering: "Preparing your preview…", ready: "Preview ready",
    addToCart: "Add to cart", added: "Added to cart", view3d: "View in 3D", ar: "View in AR",
    noWebgl: "3D is not available on this device: here is the 2D preview.",
    error: "Something went wrong, please try again.",
    codes: {
      required: "This field is required.", too_long: "Too long.", too_short: "Too short.",
      too_many_lines: "Too many lines.", char_not_allowed: "Some characters are not allowed.",
      script_not_allowed: "These letters are not allowed here.", pattern_mismatch: "Wrong format.",
      blocked_word: "This word is not allowed.", glyph_missing: "This font cannot draw some characters.",
      does_not_fit: "The text does not fit.", bidi_control: "Invisible direction characters are not allowed.",
    },
    effects: { none: "None", engraved: "Engraved", embossed: "Embossed", outline: "Outline", arc: "Arc" },
  },
  fr: {
    loading: "Chargement…", text: "Texte", font: "Police", color: "Couleur", effect: "Effet",
    preview: "Aperçu", rendering: "Préparation de l'aperçu…", ready: "Aperçu prêt",
    addToCart: "Ajouter au panier", added: "Ajouté au panier", view3d: "Voir en 3D", ar: "Voir en réalité augmentée",
    noWebgl: "La 3D n'est pas disponible sur cet appareil : voici l'aperçu 2D.",
    error: "Une erreur est survenue, veuillez réessayer.",
    codes: {
      required: "Ce champ est obligatoire.", too_long: "Trop long.", too_short: "Trop court.",
      too_many_lines: "Trop de lignes.", char_not_allowed: "Certains caractères ne sont pas autorisés.",
      script_not_allowed: "Ces lettres ne sont pas autorisées ici.", pattern_mismatch: "Format incorrect.",
      blocked_word: "Ce mot n'est pas autorisé.", glyph_missing: "Cette police ne peut pas dessiner certains caractères.",
      does_not_fit: "Le texte ne tient pas.", bidi_control: "Les caractères de direction invisibles sont interdits.",
    },
    effects: { none: "Aucun", engraved: "Gravé", embossed: "En relief", outline: "Contour", arc: "En arc" },
  },
};

export function messages(lang) {
  return MESSAGES[(lang || "en").slice(0, 2).toLowerCase()] || MESSAGES.en;
}
