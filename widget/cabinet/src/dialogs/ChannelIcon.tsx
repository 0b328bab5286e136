// The channel a dialog came from: the website chat, a form, a callback or a messenger.
import { CHANNELS, type Channel } from "../api";
import { useI18n, type Key } from "../i18n";
import { IconForm, IconGlobe, IconPhone } from "../icons";

const LETTERS: Partial<Record<Channel, string>> = { whatsapp: "W", telegram: "T", viber: "V", vk: "VK", ok: "OK", avito: "A" };

export function ChannelIcon({ channel }: { channel: string }) {
  const { t } = useI18n();
  const known = (CHANNELS as string[]).includes(channel);
  const name = known ? t(("channel." + channel) as Key) : channel;
  const glyph =
    channel === "chat" ? <IconGlobe /> : channel === "form" ? <IconForm /> : channel === "callback" ? <IconPhone /> : <span>{LETTERS[channel as Channel] || "?"}</span>;
  return (
    <span class={"chan chan-" + (known ? channel : "other")} title={name} role="img" aria-label={name}>
      {glyph}
    </span>
  );
}
