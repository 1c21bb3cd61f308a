/**
 * The web client's entry point (client/index.html loads it): the app shell, which imports the
 * elements it renders (login, contacts, notices, call and chat views).
 */
import './elements/app.ts';
