// Parley flow viewer: a flow state's prompts, slot, effects and transitions, as text (never markup).
(function () {
  'use strict';

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function utteranceText(utterance) {
    if (utterance === undefined || utterance === null) return '';
    if (typeof utterance === 'string') return utterance;
    if (Array.isArray(utterance)) return utterance.map(utteranceText).join(' / ');
    if (typeof utterance === 'object') {
      if (utterance.text !== undefined) return utteranceText(utterance.text);
      return Object.keys(utterance)
        .map(function (key) {
          return key + ': ' + utteranceText(utterance[key]);
        })
        .join(' · ');
    }
    return String(utterance);
  }

  function effectText(action) {
    var kind = Object.keys(action)[0];
    var value = action[kind];
    if (kind === 'say') return 'say “' + utteranceText(value) + '”';
    if (typeof value === 'string') return kind + ' ' + value;
    if (Array.isArray(value)) return kind + ' ' + value.join(', ');
    if (value && typeof value === 'object' && value.name) return kind + ' ' + value.name;
    if (value && typeof value === 'object' && value.reason) return kind + ' (' + value.reason + ')';
    return kind + ' ' + JSON.stringify(value);
  }

  function transitionsOf(spec) {
    var lines = [];
    var add = function (event, written) {
      (Array.isArray(written) ? written : [written]).forEach(function (item) {
        var t = typeof item === 'string' ? { target: item } : item;
        lines.push({
          text: event + (t.guard ? ' [' + t.guard + ']' : '') + ' → ' + (t.target || '(stay)'),
          effects: (t.actions || []).map(effectText),
        });
      });
    };
    Object.keys(spec.on || {}).forEach(function (event) {
      add(event, spec.on[event]);
    });
    if (spec.always) add('always', spec.always);
    return lines;
  }

  /** Writes state `name` of `flow` into `box` (emptied by the caller). */
  function render(box, flow, name) {
    if (!flow || !name) {
      box.appendChild(el('p', 'Click a state to see its prompts, slots and effects.', 'hint'));
      return;
    }
    var spec = flow.spec.states[name];
    box.appendChild(el('h3', flow.id + ' · ' + name));
    var list = el('dl', undefined, 'spec');
    var row = function (term, value) {
      list.appendChild(el('dt', term));
      var dd = el('dd');
      if (Array.isArray(value)) {
        var ul = el('ul', undefined, 'plain');
        value.forEach(function (item) {
          ul.appendChild(el('li', item));
        });
        dd.appendChild(ul);
      } else dd.textContent = value;
      list.appendChild(dd);
    };
    if (spec.description) row('About', spec.description);
    var prompts = [];
    if (spec.prompt) prompts.push(utteranceText(spec.prompt));
    var slot = spec.collect ? flow.spec.slots[spec.collect] : undefined;
    if (slot) {
      prompts.push(utteranceText(slot.prompt));
      if (slot.reprompt) prompts.push('reprompt: ' + utteranceText(slot.reprompt));
    }
    (spec.entry || []).forEach(function (action) {
      if (action.say) prompts.push(utteranceText(action.say));
    });
    row('Prompts', prompts.length ? prompts : ['—']);
    if (spec.collect) {
      var slotText = spec.collect;
      if (slot) {
        var parts = [];
        if (slot.entity) parts.push('entity ' + slot.entity);
        if (slot.validate) parts.push('validated by ' + slot.validate);
        parts.push('up to ' + slot.maxAttempts + ' attempts');
        if (slot.sensitive) parts.push('sensitive');
        slotText += ' (' + parts.join(', ') + ')';
      }
      row('Slot', slotText);
    }
    var effects = (spec.entry || []).map(effectText);
    row('Effects', effects.length ? effects : ['—']);
    var transitions = transitionsOf(spec).map(function (t) {
      return t.text + (t.effects.length ? ' — ' + t.effects.join('; ') : '');
    });
    row('Transitions', transitions.length ? transitions : [spec.type === 'final' ? '(final state)' : '—']);
    box.appendChild(list);
  }

  window.ParleyStateDetails = { render: render };
})();
