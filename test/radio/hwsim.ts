/**
 * mac80211_hwsim radios removed and created at run time, in the guest, over
 * hwsim's own generic-netlink family (HWSIM_CMD_DEL_RADIO / NEW_RADIO, the
 * commands hostap's hwsim tests use): a wiphy that goes away and comes back,
 * without unloading the module (which would take hostapd's radio too).
 *
 *   node dist/test/radio/hwsim.js del phy1     # the radio named phy1 and its netdevs go
 *   node dist/test/radio/hwsim.js new          # a new radio; its netdev takes the lowest free wlanN
 *
 * Numbers from the kernel's drivers/net/wireless/virtual/mac80211_hwsim.h.
 */
import { createRequire } from 'node:module';
import { encodeAttrs } from '../../src/driver/nl80211/attrs.js';

const HWSIM_CMD_NEW_RADIO = 4;
const HWSIM_CMD_DEL_RADIO = 5;
const HWSIM_ATTR_RADIO_NAME = 17;
const CTRL_CMD_GETFAMILY = 3;

type Netlink = typeof import('netlink');

async function main(argv: string[]): Promise<void> {
  const netlink = createRequire(import.meta.url)('netlink') as Netlink;
  const genl = netlink.createGenericNetlink();
  try {
    const [fam] = await genl.ctrlRequest(CTRL_CMD_GETFAMILY, { familyName: 'MAC80211_HWSIM' });
    if (fam?.familyId === undefined) throw new Error('no MAC80211_HWSIM family');
    const [op, name] = argv;
    if (op === 'del' && name) {
      await genl.request(fam.familyId, HWSIM_CMD_DEL_RADIO, 0, encodeAttrs([[HWSIM_ATTR_RADIO_NAME, Buffer.from(name)]]));
    } else if (op === 'new') {
      // The kernel answers NEW_RADIO with the radio's id in the ack's error
      // field (a positive number), which the package may take for a failure.
      await genl.request(fam.familyId, HWSIM_CMD_NEW_RADIO, 0, encodeAttrs([])).catch((e: Error) => {
        if (!/Request rejected: (\d+|E?UNKNOWN)/.test(e.message)) throw e;
      });
    } else {
      throw new Error('usage: hwsim.js del PHYNAME | new');
    }
  } finally {
    genl.socket.close();
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  console.error(`hwsim: ${e.message}`);
  process.exit(1);
});
