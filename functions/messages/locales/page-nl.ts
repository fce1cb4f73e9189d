import type { PageStrings } from './page-strings.ts';

export const pageNl: PageStrings = {
  siteName: 'Smart Account',
  labels: {
    accountName: 'Accountnaam',
    accountDomain: 'Domein',
    requestedBy: 'Aangevraagd door',
    validUntil: 'Geldig tot',
    errorId: 'Foutcode',
  },
  activation: {
    title: 'Activeer uw Smart Account',
    intro: (partner) =>
      `${partner} heeft deze Smart Account voor uw organisatie aangevraagd. Controleer de gegevens en kies of u de Smart Account wilt activeren.`,
    messageFrom: (partner) => `Bericht van ${partner}`,
    usersHeading: 'Deze personen krijgen toegang',
    consequences:
      'Als u activeert, wordt de Smart Account aangemaakt en krijgen de genoemde personen toegang. Als u weigert, wordt de aanvraag gesloten en wordt er niets aangemaakt.',
    decisionGroup: 'Uw beslissing',
    activate: 'Smart Account activeren',
    decline: 'Aanvraag weigeren',
    declineReasonLabel: 'Reden van weigeren (optioneel)',
    declineReasonHint: (partner) =>
      `${partner} ontvangt deze tekst per e-mail, zodat zij weten wat er anders moet. Maximaal 500 tekens.`,
    ifNothing: (expiry) => `Als u niets doet, vervalt de aanvraag op ${expiry}.`,
  },
  results: {
    ACTIVATED: {
      title: 'Smart Account geactiveerd',
      message:
        'Dank u wel. De Smart Account is nu actief. De partner die de account heeft aangevraagd en de gebruikers krijgen hierover een e-mail.',
    },
    DECLINED: {
      title: 'Aanvraag geweigerd',
      message:
        'U hebt de aanvraag geweigerd, dus er is geen Smart Account aangemaakt. De partner die de aanvraag heeft gedaan, krijgt hierover een e-mail.',
    },
    ALREADY_ACTIVE: {
      title: 'Al geactiveerd',
      message: 'Deze Smart Account is al geactiveerd. U hoeft niets meer te doen.',
    },
    ALREADY_DECLINED: {
      title: 'Al geweigerd',
      message: 'Deze aanvraag is al geweigerd. Er is geen Smart Account aangemaakt.',
    },
    CANCELLED: {
      title: 'Aanvraag ingetrokken',
      message:
        'De partner heeft deze aanvraag ingetrokken. Activeren is daarom niet meer mogelijk; u hoeft niets te doen.',
    },
    EXPIRED: {
      title: 'Aanvraag verlopen',
      message:
        'Deze aanvraag is niet op tijd geactiveerd en is verlopen. Vraag uw partner om de Smart Account opnieuw aan te vragen; u ontvangt dan een nieuwe e-mail.',
    },
    FAILED: {
      title: 'Aanvraag stopgezet',
      message:
        'Deze aanvraag is stopgezet omdat onze e-mail niet kon worden bezorgd. Vraag uw partner om uw e-mailadres te controleren en de Smart Account opnieuw aan te vragen.',
    },
    NOT_FOUND: {
      title: 'Link niet gevonden',
      message:
        'We herkennen deze activeringslink niet. Controleer of u het volledige adres uit de e-mail hebt geopend.',
    },
    FORBIDDEN: {
      title: 'Actie niet toegestaan',
      message:
        'Uw keuze is niet geaccepteerd, omdat het formulier niet van deze pagina afkomstig was. Open de link uit de e-mail opnieuw en probeer het nog eens.',
    },
    INVALID_REQUEST: {
      title: 'Keuze niet begrepen',
      message:
        'We konden uw keuze niet lezen. Open de link uit de e-mail opnieuw en gebruik een van de knoppen.',
    },
    TOO_MANY_ATTEMPTS: {
      title: 'Te veel pogingen',
      message: 'Wacht een paar minuten en probeer het daarna opnieuw.',
    },
    ERROR: {
      title: 'Er is iets misgegaan',
      message:
        'Er is aan onze kant iets misgegaan. Probeer het later opnieuw. Blijft het misgaan? Vraag uw partner dan om contact op te nemen met support en de onderstaande foutcode te vermelden.',
    },
  },
};
