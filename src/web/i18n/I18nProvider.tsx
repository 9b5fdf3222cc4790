import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { IntlProvider } from 'react-intl';
import { initialLocale, type Locale, saveLocale } from './locales.ts';
import en from './messages/en.json';

type Messages = Record<string, string>;

/** Other languages load when picked, so English readers download only English. */
const catalogues = import.meta.glob<{ default: Messages }>(['./messages/*.json', '!./messages/en.json']);

async function loadMessages(locale: Locale): Promise<Messages> {
  if (locale === 'en') return en;
  const load = catalogues[`./messages/${locale}.json`];
  return load ? (await load()).default : en;
}

const LocaleContext = createContext<{ locale: Locale; setLocale: (locale: Locale) => void }>({
  locale: 'en',
  setLocale: () => undefined,
});

export function useLocale() {
  return useContext(LocaleContext);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [messages, setMessages] = useState<{ locale: Locale; messages: Messages } | null>(
    locale === 'en' ? { locale, messages: en } : null,
  );
  useEffect(() => {
    let current = true;
    void loadMessages(locale).then((loaded) => {
      if (current) setMessages({ locale, messages: loaded });
    });
    document.documentElement.lang = locale;
    return () => {
      current = false;
    };
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    saveLocale(next);
    setLocaleState(next);
  }, []);
  if (!messages) return null;
  return (
    <LocaleContext.Provider value={{ locale: messages.locale, setLocale }}>
      <IntlProvider locale={messages.locale} messages={messages.messages} defaultLocale="en" onError={reportMissing}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

/** A missing translation shows the English text; in development it also says so once. */
function reportMissing(error: { code?: string; message: string }) {
  if (import.meta.env.DEV && error.code !== 'MISSING_TRANSLATION') console.warn(error.message);
}
