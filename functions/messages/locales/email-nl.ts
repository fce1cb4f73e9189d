import type { EmailStrings } from './email-strings.ts';

export const emailNl: EmailStrings = {
  labels: {
    accountName: 'Accountnaam',
    accountDomain: 'Domein',
    requestedBy: 'Aangevraagd door',
    customerEmail: 'E-mailadres klant',
    validUntil: 'Geldig tot',
    reason: 'Reden',
  },
  messageFrom: (partner) => `Bericht van ${partner}`,
  automated:
    'Dit is een automatisch bericht van Smart Account Requests. Antwoorden op deze e-mail worden niet gelezen.',
  reference: (requestId) => `Vermeld dit kenmerk als u contact opneemt met support: ${requestId}`,
  ACTIVATION: {
    subject: (account) => `Activeer uw Smart Account ${account}`,
    heading: 'Activeer uw Smart Account',
    intro: (partner) =>
      `${partner} heeft een Smart Account voor uw organisatie aangevraagd en u opgegeven als degene die deze goedkeurt.`,
    usersHeading: 'Zodra de account actief is, krijgen deze personen toegang',
    action: 'Bekijken en activeren',
    linkFallback: 'Werkt de knop niet? Kopieer dan dit adres naar uw browser:',
    ifNothing: (expiry) =>
      `De link is geldig tot ${expiry}. Als u niets doet, vervalt de aanvraag op dat moment en wordt er geen Smart Account aangemaakt.`,
    notRecognized:
      'Herkent u deze aanvraag niet? Dan kunt u de aanvraag op dezelfde pagina weigeren of deze e-mail gewoon negeren.',
  },
  REMINDER: {
    subject: (account) => `Herinnering: activeer uw Smart Account ${account}`,
    heading: 'Uw Smart Account wacht op u',
    intro: (partner, daysLeft, expiry) =>
      `${partner} heeft een Smart Account voor uw organisatie aangevraagd en wacht op uw antwoord. ${
        daysLeft <= 1
          ? 'De aanvraag vervalt binnen een dag'
          : `De aanvraag vervalt over ${daysLeft} dagen`
      }, op ${expiry}.`,
  },
  EXPIRING_PARTNER: {
    subject: (account) => `Smart Account-aanvraag verloopt binnenkort: ${account}`,
    heading: 'De klant heeft nog niet geantwoord',
    body: (customer, expiry) =>
      `${customer} heeft de onderstaande Smart Account nog niet geactiveerd of geweigerd. We hebben de laatste herinnering verstuurd; de aanvraag verloopt op ${expiry}.`,
    next: 'Heeft de klant meer tijd nodig? Dan kunt u de aanvraag vóór het verlopen verlengen in de console of via de API.',
  },
  ACTIVATED_PARTNER: {
    subject: (account) => `Smart Account geactiveerd: ${account}`,
    heading: 'De klant heeft de Smart Account geactiveerd',
    body: (customer) =>
      `${customer} heeft de Smart Account die u hebt aangevraagd geactiveerd. De account is nu actief.`,
    usersHeading: 'We hebben deze gebruikers laten weten dat ze nu toegang hebben',
  },
  ACTIVATED_USER: {
    subject: (account) => `U hebt nu toegang tot de Smart Account ${account}`,
    heading: 'U hebt nu toegang',
    body: (partner) =>
      `De onderstaande Smart Account is geactiveerd en ${partner} heeft u als gebruiker toegevoegd. U hebt er nu toegang toe.`,
  },
  DECLINED_PARTNER: {
    subject: (account) => `Smart Account-aanvraag geweigerd: ${account}`,
    heading: 'De klant heeft de aanvraag geweigerd',
    body: (customer) =>
      `${customer} heeft uw aanvraag voor de onderstaande Smart Account geweigerd. Er is geen account aangemaakt.`,
    reasonHeading: 'De reden van de klant',
    next: 'Was dit een vergissing? Neem dan eerst contact op met de klant; daarna kunt u de Smart Account opnieuw aanvragen.',
  },
  CANCELLED_CUSTOMER: {
    subject: (account) => `Smart Account-aanvraag ingetrokken: ${account}`,
    heading: 'De aanvraag is ingetrokken',
    body: (partner) =>
      `${partner} heeft de aanvraag voor de onderstaande Smart Account ingetrokken. De activeringslink werkt niet meer en u hoeft niets te doen.`,
    next: (partner) => `Hebt u vragen? Neem dan contact op met ${partner}.`,
  },
  EXPIRED_CUSTOMER: {
    subject: (account) => `Smart Account-aanvraag verlopen: ${account}`,
    heading: 'De aanvraag is verlopen',
    body: (partner, expiry) =>
      `De aanvraag van ${partner} voor de onderstaande Smart Account is niet vóór ${expiry} geactiveerd en is daarom verlopen. Er is geen account aangemaakt.`,
    next: (partner) =>
      `Bent u er klaar voor? Vraag ${partner} dan om de Smart Account opnieuw aan te vragen. U ontvangt daarna een nieuwe activeringsmail.`,
  },
  EXPIRED_PARTNER: {
    subject: (account) => `Smart Account-aanvraag verlopen: ${account}`,
    heading: 'De aanvraag is verlopen',
    body: (customer, expiry) =>
      `${customer} heeft de onderstaande Smart Account niet vóór ${expiry} geactiveerd. De aanvraag is verlopen en er is geen account aangemaakt.`,
    next: 'Zodra de klant er klaar voor is, kunt u de Smart Account eenvoudig opnieuw aanvragen.',
  },
  FAILED_PARTNER: {
    subject: (account) => `Smart Account-aanvraag mislukt, klant onbereikbaar: ${account}`,
    heading: 'We konden de klant niet bereiken',
    body: (customer) =>
      `De activeringsmail aan ${customer} kon niet worden bezorgd. Daarom is de aanvraag voor de onderstaande Smart Account stopgezet.`,
    next: 'Controleer het e-mailadres van de klant en vraag de Smart Account daarna opnieuw aan.',
  },
};
