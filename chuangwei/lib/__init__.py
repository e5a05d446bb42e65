"""Pure helpers with no models: env, geo, dates, excel, documents."""
